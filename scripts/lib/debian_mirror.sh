# Sourced by scripts/db.sh and scripts/docs.sh, which fetch Debian source and documentation packages
# from a newer suite through a throw-away apt list pointing at the machine's own mirror.
# shellcheck shell=bash

# debian_mirror: the machine's main Debian archive URI (not security, not third-party), from
# deb822 *.sources files or classic one-line sources.
debian_mirror() {
	local codename files=()
	# shellcheck source=/dev/null
	codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
	shopt -s nullglob
	files=(/etc/apt/sources.list.d/*.sources)
	if ((${#files[@]})); then
		# Stanzas are separated by blank lines; keys are case-insensitive; skip "Enabled: no".
		awk -v codename="$codename" '
			function flush(   n, i, s, ok, u) {
				if (enabled && types ~ /(^| )deb(-src)?( |$)/ && uris != "") {
					n = split(suites, s, " ")
					ok = 0
					for (i = 1; i <= n; i++)
						if (s[i] == codename || (codename == "" && s[i] ~ /^(stable|testing|unstable|sid)$/)) ok = 1
					if (ok) {
						split(uris, u, " ")
						if (u[1] ~ /^(https?|ftp):\/\//) print u[1]
					}
				}
				types = ""; uris = ""; suites = ""; enabled = 1
			}
			BEGIN { enabled = 1 }
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			{
				key = tolower($1); sub(/:$/, "", key)
				val = $0; sub(/^[^:]*:[ \t]*/, "", val)
				if (key == "types") types = val
				else if (key == "uris") uris = val
				else if (key == "suites") suites = val
				else if (key == "enabled") enabled = (tolower(val) !~ /^(no|false|0)$/)
			}
			END { flush() }
		' "${files[@]}"
	fi
	files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list)
	shopt -u nullglob
	local f
	for f in "${files[@]}"; do
		[[ -r $f ]] || continue
		# deb [options] URI suite components...
		sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
			awk -v codename="$codename" '
				($1 == "deb" || $1 == "deb-src") && $2 ~ /^(https?|ftp):\/\// &&
				($3 == codename || (codename == "" && $3 ~ /^(stable|testing|unstable|sid)$/)) { print $2 }'
	done
}
