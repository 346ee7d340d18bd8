package docparse

import (
	"regexp"
	"strings"
)

// Pages saved from the web carry furniture around the questions: navigation, share buttons,
// advertisements, author bios, comment forms, salary tables, course promotions. The patterns here
// recognise it by its wording and shape, not by any one site's exact strings. Most of them only
// match short whole lines, because furniture is made of labels and buttons while answers are
// sentences; the few that match inside long lines look for phrases an answer does not use.

// noiseEffect says what a recognised piece of furniture does to the answer being read.
type noiseEffect int

const (
	// effectInline: dropped, and the answer around it goes on (image placeholders, "Advertisement").
	effectInline noiseEffect = iota
	// effectClose: ends the current answer; what follows belongs to no question until the next one.
	effectClose
	// effectSection: ends the current answer and starts a block of furniture (related links,
	// comments) in which question-shaped headings are titles of other pages, not questions.
	effectSection
)

type noiseRule struct {
	reason   string
	effect   noiseEffect
	maxWords int // 0: any length
	re       *regexp.Regexp
}

func rule(reason string, effect noiseEffect, maxWords int, pattern string) noiseRule {
	return noiseRule{reason: reason, effect: effect, maxWords: maxWords, re: regexp.MustCompile(`(?i)` + pattern)}
}

// Reasons reported in Skipped for page furniture; tests and callers may compare against them.
const (
	ReasonAdvert       = "advertisement"
	ReasonCallToAction = "call to action"
	ReasonShare        = "share buttons"
	ReasonByline       = "byline"
	ReasonAuthorBio    = "author bio"
	ReasonComments     = "comment form"
	ReasonPageRemarks  = "remarks about the page"
	ReasonRelated      = "related links"
	ReasonTOC          = "table of contents"
	ReasonConclusion   = "conclusion"
	ReasonCookies      = "cookie banner"
	ReasonSalary       = "salary table"
	ReasonAffiliate    = "affiliate links"
	ReasonDisclaimer   = "disclaimer"
	ReasonCourse       = "course promotion"
	ReasonForm         = "contact form"
	ReasonNavigation   = "navigation"
	ReasonContact      = "contact details"
	ReasonImage        = "image placeholder"
	ReasonNewsletter   = "newsletter signup"
)

var noiseRules = []noiseRule{
	rule(ReasonImage, effectInline, 6, `^[^\s].*\.(webp|png|jpe?g|gif|svg|bmp|avif)$`),
	rule(ReasonAdvert, effectInline, 3, `^(advertisement|advertisements|sponsored( content)?|ads?|promoted)$`),

	// Marketing questions ("Tired of ...?", "Looking for ...?") open advertisement boxes; they are
	// question-shaped, so they must be caught before question detection.
	rule(ReasonAdvert, effectClose, 25, `^(tired of|sick of|looking (for|to hire)|want to (hire|learn|become|land|crack|build (a|your) (team|career))|need (help|to hire|developers|engineers)|ready to (hire|start|take|level|land|boost|get)|struggling (to|with)|searching for|interested in (hiring|joining|learning)|wish to (hire|learn))\b`),
	rule(ReasonAdvert, effectClose, 20, `^hire\b`),
	rule(ReasonCallToAction, effectClose, 8, `^(apply|enrol+|register|join|buy|shop|order|subscribe|sign up|get started|start now)( now| today| for free| here)?[.!]?$`),
	rule(ReasonCallToAction, effectClose, 8, `^(learn|read|view|see|show|load) more[.!]?$|^(contact|call|email) us( today| now)?[.!]?$|^click here\b|^download( now| free| (the|our) (pdf|e-?book|app|guide))?[.!]?$|^(try|start) (it |your |a )?(for )?free( trial)?\b|^(book|schedule|request) (a|your) (free )?(demo|call|session|consultation|trial)\b|^talk to (us|an expert|sales)\b|^get (a )?(free )?(quote|demo|consultation)\b`),
	rule(ReasonCallToAction, effectClose, 25, `^tell us (what|the|about your|your)\b.*\b(need|looking for|requirements?)\b`),
	rule(ReasonCallToAction, effectClose, 0, `(read more|continue reading|read (the )?full (article|post|story))\s*[»›>→…]*$`),

	rule(ReasonShare, effectClose, 6, `^(follow us( on \w+)?|share( this( article| post| page)?)?( on \w+| via \w+)?|tweet( this)?|pin it|like us on \w+|connect with us|copy link)\s*:?$`),
	rule(ReasonShare, effectClose, 1, `^(facebook|twitter|linkedin|whatsapp|pinterest|telegram|reddit|tumblr|email|print)$`),

	rule(ReasonByline, effectClose, 12, `^by\s*[|:]|^by\s+(?-i:\p{Lu})[\p{L}.'-]+(\s+(?-i:\p{Lu})[\p{L}.'-]+){0,2}\s*(\||,|$)|^(written|posted|published|reviewed|edited|updated|fact[- ]checked) by\b`),
	rule(ReasonByline, effectClose, 10, `^(last )?(updated|modified|published|posted|reviewed)( on)?\s*:?\s*(\d|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)`),
	rule(ReasonAuthorBio, effectClose, 8, `^(author|written by|posted by)\s*[:|]\s*\S|^about (the )?author\s*:?$`),
	rule(ReasonAuthorBio, effectClose, 0, `^(?-i:\p{Lu})[\p{L}.'-]+(\s+(?-i:\p{Lu})[\p{L}.'-]+){0,3} (is|has been) an? ([\w-]+ ){0,4}(writer|blogger|editor|journalist|author|content (writer|manager|creator|strategist|specialist)|technical writer|copywriter)\b`),

	rule(ReasonComments, effectSection, 8, `^(leave a (reply|comment)|post (a |your )?comment|add (a |your )?comment|\d+\s+(comments?|responses?|replies)|comments?|responses|cancel reply|join the discussion)\s*(\(\d+\))?\s*:?$`),
	rule(ReasonComments, effectSection, 0, `your email address will not be published|required fields are marked|save my name, email|comment(ing)? (down )?below|let us know in the comments|share your (thoughts|experience) in the comments`),

	rule(ReasonDisclaimer, effectClose, 0, `^disclaimer\b`),
	rule(ReasonPageRemarks, effectClose, 0, `\b(we hope (you|this|these|that)|hope (you|this) (found|find|enjoyed|liked|helps)|reached (at )?the end of|(this|our) (article|blog|blog post|guide|tutorial|write-?up)\b|if you (like|liked|enjoyed|found) (this|our)|happy (learning|coding)|best of luck|all the best for|good luck (with|in|for)|bookmark (this|the) (page|guide|article)|stay tuned)`),

	rule(ReasonRelated, effectSection, 8, `^(related|similar|recommended|popular|recent|trending|latest|more) (posts?|articles?|reads?|reading|stories|tutorials|guides|content|questions|resources)\b|^you (might|may) (also |be also |also be )?(like|love|enjoy|want|be interested|interested)|^(read|see) (also|next)\b|^also read\b|^more from\b|^further reading\b`),
	rule(ReasonTOC, effectClose, 6, `^(table of contents?|contents|in this (article|post|guide)|on this page|jump to( section)?|quick links|toc)\s*:?$`),
	rule(ReasonConclusion, effectClose, 6, `^(conclusion|conclusions|in conclusion|to conclude|wrapping up|wrap[- ]up|final (thoughts|words|notes)|closing (thoughts|remarks)|summary|in summary|key takeaways|takeaways|(the )?bottom line)\s*[:.!]?$`),

	rule(ReasonCookies, effectClose, 0, `\b(we use cookies|this (web)?site uses cookies|uses cookies to|accept (all )?cookies|cookie (policy|settings|preferences|consent))\b`),
	rule(ReasonSalary, effectClose, 0, `^\|.*\b((average|median|expected|annual|starting) salar(y|ies)|lpa|per annum|ctc|pay scale)\b|\b(lpa|lakhs? per annum)\b|^(average |median )?salar(y|ies)\b`),
	rule(ReasonAffiliate, effectClose, 0, `\baffiliate (link|links|disclosure|program|commission)\b`),
	rule(ReasonCourse, effectClose, 0, `\b(enrol+ (now|today|in (our|the|this) course)|free demo|demo (session|class)|\d+% off|limited[- ]time offer|use (coupon|promo) code|join (our|the) (course|bootcamp|program|batch)|certification (course|program|training)|live (online )?training|placement (assistance|guarantee))\b`),
	rule(ReasonNewsletter, effectClose, 0, `\b(subscribe to (our|the) newsletter|sign up for (our|the) newsletter|delivered (straight )?to your inbox|join \d[\d,]* (subscribers|readers|developers))\b`),
	rule(ReasonForm, effectClose, 0, `^all (the )?fields are (mandatory|required)|^we guarantee\b.*privacy|\byour (information|details|data|email) (is|are|will be) (secure|safe|kept private|never shared)|\bwill not be shared\b|\bwe respect your privacy\b`),

	rule(ReasonNavigation, effectClose, 4, `^(home|about|about us|contact|contact us|privacy|privacy policy|terms|terms of (use|service)|terms (and|&) conditions|sitemap|menu|main menu|search|skip to (main )?content|categories|tags|archives|log ?in|sign in|my account|cart|blog|courses|tutorials|careers|work hours|opening hours|business hours|address|phone|call us|email us|follow us|get in touch)\s*[:.]?$`),
	rule(ReasonNavigation, effectClose, 0, `^home\s*[»>/›|]`),
	rule(ReasonNavigation, effectClose, 6, `^\W*(back|go|scroll) to (the )?top\b|^(next|previous|prev) (article|post|page|question|chapter|tutorial)\b`),
	rule(ReasonContact, effectClose, 10, `^\d+[a-z]?\s+([\p{L}.'-]+\s+){1,5}(st|street|ave|avenue|road|rd|blvd|boulevard|lane|ln|drive|dr|way|court|ct|place|pl|square|sq)\.?,?$|^[\p{L} .'-]+,\s*[A-Z]{2}\s+\d{5}(-\d{4})?$|^(mon(day)?|tue(sday)?|wed(nesday)?|thu(rsday)?|fri(day)?|sat(urday)?|sun(day)?|weekdays?|weekends?)\b.*\d{1,2}\s*(am|pm)\b|^(phone|tel|mobile|fax)\s*[:.]\s*\+?[\d\s()-]{6,}$`),
}

// tocEntry is the rule for lines that only link to an anchor on the same page.
var tocEntry = noiseRule{reason: ReasonTOC, effect: effectClose}

// classifyNoise returns the rule a line of page text matches, or nil.
func classifyNoise(t string) *noiseRule {
	words := len(strings.Fields(t))
	for i := range noiseRules {
		r := &noiseRules[i]
		if r.maxWords > 0 && words > r.maxWords {
			continue
		}
		if r.re.MatchString(t) {
			return r
		}
	}
	return nil
}
