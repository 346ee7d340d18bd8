package eval

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable writes the figures of a report as tables for a person to read.
func WriteTable(w io.Writer, rep *Report, file string) error {
	var b strings.Builder
	grader := rep.Grader
	if rep.Model != "" {
		grader += " (" + rep.Model + ")"
	}
	fmt.Fprintf(&b, "%s: %d answers (%s layout), grader %s, %d failed\n", file, rep.Items, rep.Layout, grader, rep.Failed)
	fmt.Fprintf(&b, "%.1f s on %d workers, %.0f answers/s\n\n", rep.Seconds, rep.Workers, rep.ItemsPerSecond)

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	if n := rep.Numeric; n != nil {
		fmt.Fprintln(tw, "\tPearson r\tSpearman ρ\tRMSE\tMAE\tQWK\tmean per-question r\tn\t")
		row := func(name string, a Agreement) {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t\n", name, a.Pearson, a.Spearman, a.RMSE, a.MAE,
				a.QWK, a.MeanQuestionPearson, a.N)
		}
		row("grader, calibrated", n.Calibrated)
		row("grader, uncalibrated", n.Linear)
		if n.Human != nil {
			row("human A vs human B", *n.Human)
		}
		tw.Flush()
		fmt.Fprintf(&b, "\nScale 0-%g; errors and kappa are on that scale. The grader is compared with the mean of the human grades,\n", n.ScaleMax)
		if len(n.Calibration) == 0 {
			fmt.Fprintf(&b, "the humans with each other. No calibration is fitted for the %s grader: its calibrated row is score/100×scale.\n", n.CalibrationKind)
		} else {
			fmt.Fprintf(&b, "the humans with each other. Calibration of the %s grader (score → fraction of the scale):\n", n.CalibrationKind)
			var knots []string
			for _, k := range n.Calibration {
				knots = append(knots, fmt.Sprintf("%d→%.3f", k.Score, k.Fraction))
			}
			fmt.Fprintf(&b, "  %s\n", strings.Join(knots, "  "))
		}
	}
	if l := rep.Labels; l != nil {
		fmt.Fprintln(tw, "corpus\tsplit\tn\taccuracy\tmacro-F1\tweighted-F1\t")
		for _, g := range l.Groups {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t\n", g.Corpus, g.Split, g.N, g.Accuracy, g.MacroF1, g.WeightedF1)
		}
		tw.Flush()
		fmt.Fprintf(&b, "\nLabels: %s.\nThreshold %d, %s.\n", l.Mapping, l.Threshold, l.ThresholdSource)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
