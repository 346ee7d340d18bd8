#!/usr/bin/env bash
# scripts/docs.sh - import Django's documentation as a reference corpus (`make docs`).
#
# Idempotent. It:
#   1. finds the newest python-django-doc among the machine's own apt sources and, through a
#      throw-away apt list (signature checking on, the system's apt state untouched), the Debian
#      suite DOCS_SUITE (default: trixie), from the machine's own Debian mirror;
#   2. downloads that package (it is architecture-independent: no dependencies are installed) and
#      unpacks its HTML build into DOCS_CACHE (default: ~/.cache/coach/docs), once per version;
#   3. imports the HTML as the source "Django documentation" of that release, with
#      https://docs.djangoproject.com/en/<major.minor>/ as the public base URL, and prints the
#      pages, sections and passages it produced and how long parsing and indexing took.
# The database is the one `make run` uses (DATABASE_URL, or .env, or a local one from db.sh).
#
# Environment overrides:
#   DOCS_SUITE      newer Debian suite to look in as well (empty: the machine's sources only)
#   DOCS_CACHE      where unpacked builds are kept
#   DEBIAN_MIRROR   Debian archive URI (default: read from the apt sources)
#   DEBIAN_KEYRING  keyring that verifies DOCS_SUITE (default: the Debian archive keyring)
set -euo pipefail
cd "$(dirname "$0")/.."

readonly DOCS_SUITE=${DOCS_SUITE-trixie}
readonly DOCS_CACHE=${DOCS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/coach/docs}
readonly DEBIAN_KEYRING=${DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
readonly PKG=python-django-doc

log() { printf 'docs.sh: %s\n' "$*" >&2; }
die() {
	printf 'docs.sh: error: %s\n' "$*" >&2
	exit 1
}
command -v apt-get >/dev/null || die "this script needs a Debian or Ubuntu system (apt-get)"

CLEANUP=()
cleanup() {
	if ((${#CLEANUP[@]})); then rm -rf -- "${CLEANUP[@]}"; fi
}
trap cleanup EXIT

# shellcheck source=scripts/lib/debian_mirror.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/debian_mirror.sh"

tmp=$(mktemp -d -t coach-docs.XXXXXXXX)
CLEANUP+=("$tmp")
mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/dl"
if ((EUID == 0)); then
	# apt's unprivileged download user (_apt) must reach the temp dir, so downloads stay sandboxed.
	chmod 755 "$tmp"
	if getent passwd _apt >/dev/null; then chown _apt "$tmp/dl"; fi
fi
printf '#clear APT::Update::%s;\n' Pre-Invoke Post-Invoke Post-Invoke-Success >"$tmp/apt.conf"

# The machine's own candidate.
best=$(LC_ALL=C apt-cache policy "$PKG" 2>/dev/null | awk '/Candidate:/ { print $2 }')
[[ $best == "(none)" ]] && best=
apt_pkg=(apt-get -q)

# A newer suite's, through a throw-away list.
if [[ -n $DOCS_SUITE ]]; then
	mirror=${DEBIAN_MIRROR:-$(debian_mirror | head -n1)}
	if [[ -n $mirror && -r $DEBIAN_KEYRING ]]; then
		printf 'deb [signed-by=%s] %s %s main\n' "$DEBIAN_KEYRING" "${mirror%/}" "$DOCS_SUITE" >"$tmp/sources.list"
		apt_tmp=(apt-get -q -c "$tmp/apt.conf"
			-o "Dir::Etc::SourceList=$tmp/sources.list"
			-o Dir::Etc::SourceParts=/dev/null
			-o "Dir::State::Lists=$tmp/lists"
			-o "Dir::Cache=$tmp/cache"
			-o Acquire::Languages=none)
		log "looking for $PKG in '$DOCS_SUITE' of $mirror"
		if LC_ALL=C "${apt_tmp[@]}" update >"$tmp/update.log" 2>&1; then
			newer=$(LC_ALL=C apt-cache -o "Dir::Etc::SourceList=$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null \
				-o "Dir::State::Lists=$tmp/lists" -o "Dir::Cache=$tmp/cache" policy "$PKG" | awk '/Candidate:/ { print $2 }')
			[[ $newer == "(none)" ]] && newer=
			if [[ -n $newer ]] && { [[ -z $best ]] || dpkg --compare-versions "$newer" gt "$best"; }; then
				best=$newer
				apt_pkg=("${apt_tmp[@]}")
			fi
		else
			log "cannot read '$DOCS_SUITE' (see below); using the machine's own sources"
			cat "$tmp/update.log" >&2
		fi
	fi
fi
[[ -n $best ]] || die "no $PKG package in the machine's apt sources (run apt-get update?)"

upstream=${best#*:}
upstream=${upstream%%-*}
[[ $upstream =~ ^([0-9]+)\.([0-9]+) ]] || die "cannot read a Django release from version $best"
release="${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
dest="$DOCS_CACHE/$PKG-$best"
html="$dest/usr/share/doc/$PKG/html"
if [[ ! -f $html/index.html ]]; then
	log "downloading $PKG $best"
	(cd "$tmp/dl" && "${apt_pkg[@]}" download "$PKG=$best") >&2 || die "apt-get download $PKG=$best failed"
	deb=$(find "$tmp/dl" -name "${PKG}_*.deb" | head -n1)
	[[ -n $deb ]] || die "the downloaded package is missing"
	rm -rf "$dest.partial"
	mkdir -p "$dest.partial"
	dpkg-deb -x "$deb" "$dest.partial"
	rm -rf "$dest"
	mv "$dest.partial" "$dest"
	[[ -f $html/index.html ]] || die "$PKG $best holds no html/index.html"
else
	log "$PKG $best already unpacked in $dest"
fi

if [[ -z ${DATABASE_URL:-} ]]; then
	if grep -qs '^DATABASE_URL=.' .env; then
		line=$(grep '^DATABASE_URL=.' .env | tail -n1)
	else
		line=$(scripts/db.sh | tail -n 1)
		printf '# The local database that make docs created.\n%s\n' "$line" >>.env
	fi
	export "${line?}"
fi
bin/coach migrate
SECONDS=0
bin/coach docs --dir "$html" --name "Django documentation" --version "$release" \
	--base-url "https://docs.djangoproject.com/en/$release/"
log "import took ${SECONDS}s"
