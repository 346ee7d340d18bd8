#!/usr/bin/env bash
# scripts/db.sh [DBNAME] - bring up a local PostgreSQL + pgvector database for the coach server.
#
# Idempotent; safe to run again (a second run takes seconds). It:
#   1. installs PostgreSQL from the distribution's packages when no server is installed;
#   2. installs pgvector for the server version in use: the distribution's
#      postgresql-<ver>-pgvector package when apt has a candidate for it, otherwise (Debian
#      releases without that package, e.g. 12 "bookworm") it builds Debian's own pgvector
#      source package from a newer suite against the installed server's headers, fetched
#      from the machine's own Debian mirror with signature checking on;
#   3. starts the cluster (creating one with pg_createcluster when there is none);
#   4. creates role "coach" (password "coach"), database DBNAME (default "coach") owned by
#      it, and the "vector" extension in it (as the postgres superuser);
#   5. checks that password logins over TCP on 127.0.0.1 work, fixing pg_hba.conf if not.
#
# Progress goes to stderr; the LAST line on stdout is
#   DATABASE_URL=postgres://coach:coach@localhost:<port>/DBNAME?sslmode=disable
# so callers can do:  export "$(scripts/db.sh | tail -n1)"
#
# Runs as root (CI) or as a normal user with sudo. Environment overrides:
#   PG_TUNE          0 leaves the cluster's memory and worker settings alone (default: sized for
#                    the machine with ALTER SYSTEM, printed; see tune_cluster)
#   PG_VERSION       server major version to use (default: the newest installed one with a
#                    cluster, else the newest installed, else what the "postgresql" package brings)
#   PG_CLUSTER       cluster name (default: main)
#   PGVECTOR_SUITE   Debian suite whose pgvector source is built (default: trixie)
#   DEBIAN_MIRROR    Debian archive URI to fetch it from (default: read from the apt sources)
#   DEBIAN_KEYRING   keyring that verifies that suite (default: the machine's Debian archive keyring)
set -euo pipefail

readonly DB_USER=coach
readonly DB_PASSWORD=coach
readonly DB_NAME=${1:-coach}
readonly PGVECTOR_SUITE=${PGVECTOR_SUITE:-trixie}
readonly DEBIAN_KEYRING=${DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
export DEBIAN_FRONTEND=noninteractive

# Everything but the final DATABASE_URL line goes to stderr; fd 3 is the real stdout.
exec 3>&1 1>&2

# Temporary files and directories, removed on exit however the script ends.
CLEANUP=()
cleanup() {
	if ((${#CLEANUP[@]})); then rm -rf -- "${CLEANUP[@]}"; fi
}
trap cleanup EXIT

log() { printf 'db.sh: %s\n' "$*" >&2; }
die() {
	printf 'db.sh: error: %s\n' "$*" >&2
	exit 1
}

if (($# > 1)); then
	die "usage: $0 [DBNAME]"
fi
# The name goes into SQL (quoted) and into a URL (unescaped): keep it to a safe alphabet.
[[ $DB_NAME =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] ||
	die "invalid database name '$DB_NAME' (letters, digits and _, not starting with a digit, at most 63)"

# ---------------------------------------------------------------------------------------------
# Privileges

if ((EUID == 0)); then
	priv() { "$@"; }
	as_postgres() { (cd / && runuser -u postgres -- "$@"); }
else
	command -v sudo >/dev/null || die "not running as root and sudo is not installed"
	priv() { sudo -- "$@"; }
	as_postgres() { (cd / && sudo -u postgres -- "$@"); }
fi

# ---------------------------------------------------------------------------------------------
# apt helpers

if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
	die "this script needs a Debian or Ubuntu system (apt-get, dpkg-query)"
fi

APT_UPDATED=0
apt_update() {
	((APT_UPDATED)) && return 0
	log "apt-get update"
	priv apt-get -q -o DPkg::Lock::Timeout=300 update || die "apt-get update failed"
	APT_UPDATED=1
}

apt_install() {
	apt_update
	log "installing: $*"
	priv env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300 \
		install --no-install-recommends "$@" || die "apt-get install $* failed"
}

is_installed() {
	[[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

# apt_candidate PKG: prints the candidate version, nothing when there is none.
apt_candidate() {
	LC_ALL=C apt-cache policy "$1" 2>/dev/null |
		awk '$1 == "Candidate:" && $2 != "(none)" { print $2; exit }'
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL server and cluster

installed_versions() {
	local bin
	for bin in /usr/lib/postgresql/*/bin/postgres; do
		[[ -x $bin ]] || continue
		bin=${bin%/bin/postgres}
		printf '%s\n' "${bin##*/}"
	done | sort -n
}

# Cluster lines: "<ver> <name> <port> <status> <owner> <datadir> <logfile>".
clusters() {
	command -v pg_lsclusters >/dev/null || return 0
	pg_lsclusters -h 2>/dev/null || true
}

if [[ -z $(installed_versions) ]] || ! command -v pg_lsclusters >/dev/null; then
	apt_install postgresql
fi

PG_VER=${PG_VERSION:-}
if [[ -z $PG_VER ]]; then
	while read -r v; do
		if clusters | awk -v v="$v" '$1 == v { found = 1 } END { exit !found }'; then
			PG_VER=$v
		fi
	done < <(installed_versions)
	[[ -n $PG_VER ]] || PG_VER=$(installed_versions | tail -n1)
fi
[[ -x /usr/lib/postgresql/$PG_VER/bin/postgres ]] || {
	[[ -n ${PG_VERSION:-} ]] && apt_install "postgresql-$PG_VER"
	[[ -x /usr/lib/postgresql/$PG_VER/bin/postgres ]] || die "PostgreSQL $PG_VER server is not installed"
}
PG_BIN=/usr/lib/postgresql/$PG_VER/bin
PG_CONFIG=$PG_BIN/pg_config
[[ -x $PG_CONFIG ]] || apt_install "postgresql-client-$PG_VER"
log "using PostgreSQL $PG_VER"

# ---------------------------------------------------------------------------------------------
# pgvector

PG_SHAREDIR=$("$PG_CONFIG" --sharedir)
PG_PKGLIBDIR=$("$PG_CONFIG" --pkglibdir)

pgvector_present() {
	[[ -f $PG_SHAREDIR/extension/vector.control && -f $PG_PKGLIBDIR/vector.so ]]
}

# shellcheck source=scripts/lib/debian_mirror.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/debian_mirror.sh"

# Builds Debian's pgvector source package of $PGVECTOR_SUITE against the installed server.
build_pgvector() {
	local mirror
	mirror=${DEBIAN_MIRROR:-$(debian_mirror | head -n1)}
	[[ -n $mirror ]] ||
		die "cannot find the Debian archive in /etc/apt/sources.list{,.d/*} (set DEBIAN_MIRROR)"
	mirror=${mirror%/}
	[[ -r $DEBIAN_KEYRING ]] ||
		die "keyring $DEBIAN_KEYRING not found (install debian-archive-keyring or set DEBIAN_KEYRING)"

	local deps=("postgresql-server-dev-$PG_VER" build-essential dpkg-dev) missing=() p
	for p in "${deps[@]}"; do
		is_installed "$p" || missing+=("$p")
	done
	((${#missing[@]} == 0)) || apt_install "${missing[@]}"

	local tmp
	tmp=$(mktemp -d -t coach-pgvector.XXXXXXXX)
	CLEANUP+=("$tmp")
	mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/src"
	printf 'deb-src [signed-by=%s] %s %s main\n' "$DEBIAN_KEYRING" "$mirror" "$PGVECTOR_SUITE" >"$tmp/sources.list"
	if ((EUID == 0)); then
		# Let apt's unprivileged download user (_apt) reach the temp dir, so that downloads
		# stay sandboxed.
		chmod 755 "$tmp"
		if getent passwd _apt >/dev/null; then chown _apt "$tmp/src"; fi
	fi
	# The system's apt hooks (cache cleaners and the like) are not for this throw-away index.
	printf '#clear APT::Update::%s;\n' Pre-Invoke Post-Invoke Post-Invoke-Success >"$tmp/apt.conf"
	local apt_tmp=(apt-get -q -c "$tmp/apt.conf"
		-o "Dir::Etc::SourceList=$tmp/sources.list"
		-o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$tmp/lists"
		-o "Dir::Cache=$tmp/cache"
		-o Acquire::Languages=none)

	log "fetching pgvector source ($PGVECTOR_SUITE) from $mirror"
	local out
	if ! out=$(LC_ALL=C "${apt_tmp[@]}" update 2>&1); then
		printf '%s\n' "$out" >&2
		grep -qE 'NO_PUBKEY|EXPKEYSIG|KEYEXPIRED|not signed|signature' <<<"$out" ||
			die "apt-get update for the '$PGVECTOR_SUITE' sources of $mirror failed"
		# The keyring cannot verify the newer suite. Stable point releases of
		# debian-archive-keyring (verified through the machine's own sources) carry the keys of
		# the next release: upgrade it and retry. Verification is never turned off.
		local have want was_auto
		have=$(dpkg-query -W -f='${Version}' debian-archive-keyring 2>/dev/null || true)
		apt_update
		want=$(apt_candidate debian-archive-keyring)
		[[ -n $want && $want != "$have" ]] ||
			die "the keys in $DEBIAN_KEYRING (debian-archive-keyring ${have:-not installed}) cannot verify" \
				"the '$PGVECTOR_SUITE' suite of $mirror and no newer keyring package is available;" \
				"install debian-archive-keyring from '$PGVECTOR_SUITE' or set DEBIAN_KEYRING"
		log "keyring cannot verify '$PGVECTOR_SUITE'; upgrading debian-archive-keyring $have -> $want"
		was_auto=$(apt-mark showauto debian-archive-keyring 2>/dev/null || true)
		apt_install debian-archive-keyring
		if [[ -n $was_auto ]]; then priv apt-mark auto debian-archive-keyring >/dev/null; fi
		out=$(LC_ALL=C "${apt_tmp[@]}" update 2>&1) || {
			printf '%s\n' "$out" >&2
			die "even debian-archive-keyring $want cannot verify the '$PGVECTOR_SUITE' suite of $mirror" \
				"(set DEBIAN_KEYRING to a keyring that can)"
		}
	fi
	printf '%s\n' "$out" >&2

	(cd "$tmp/src" && "${apt_tmp[@]}" source pgvector) || die "apt-get source pgvector failed"
	local srcdir
	srcdir=$(find "$tmp/src" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n1)
	[[ -n $srcdir && -f $srcdir/Makefile ]] || die "unpacked pgvector source not found in $tmp/src"
	log "building $(basename "$srcdir") against PostgreSQL $PG_VER"
	make -C "$srcdir" -j"$(nproc)" PG_CONFIG="$PG_CONFIG" || die "pgvector build failed"
	priv make -C "$srcdir" install PG_CONFIG="$PG_CONFIG" || die "pgvector install failed"
}

if pgvector_present; then
	log "pgvector already installed for PostgreSQL $PG_VER"
else
	apt_update
	pkg=postgresql-$PG_VER-pgvector
	if [[ -n $(apt_candidate "$pkg") ]]; then
		apt_install "$pkg"
	else
		# shellcheck source=/dev/null
		os_id=$(. /etc/os-release && printf '%s' "${ID:-}")
		[[ $os_id == debian ]] ||
			die "no candidate for package $pkg (on Ubuntu, enable the 'universe' component)"
		log "$pkg is not packaged for this release; building Debian's pgvector from '$PGVECTOR_SUITE'"
		build_pgvector
	fi
	pgvector_present || die "pgvector is still missing from $PG_SHAREDIR/extension after installation"
fi

# ---------------------------------------------------------------------------------------------
# Cluster

PG_CLUSTER=${PG_CLUSTER:-main}
cluster_line() {
	clusters | awk -v v="$PG_VER" -v c="$PG_CLUSTER" '$1 == v && $2 == c { print; exit }'
}
if [[ -z $(cluster_line) ]]; then
	other=$(clusters | awk -v v="$PG_VER" '$1 == v { print $2; exit }')
	if [[ -n ${other:-} && $PG_CLUSTER == main ]]; then
		PG_CLUSTER=$other
	else
		log "creating cluster $PG_VER/$PG_CLUSTER"
		priv pg_createcluster "$PG_VER" "$PG_CLUSTER" || die "pg_createcluster $PG_VER $PG_CLUSTER failed"
	fi
fi
read -r _ _ PG_PORT status _ < <(cluster_line) || die "cluster $PG_VER/$PG_CLUSTER not found"
if [[ $status != online* ]]; then
	log "starting cluster $PG_VER/$PG_CLUSTER (port $PG_PORT)"
	# Not with fd 3 (our stdout): the server would inherit it and keep the caller's
	# $(scripts/db.sh | tail -n1) waiting for as long as it runs.
	priv pg_ctlcluster "$PG_VER" "$PG_CLUSTER" start 3>&- ||
		die "could not start cluster $PG_VER/$PG_CLUSTER; see /var/log/postgresql/postgresql-$PG_VER-$PG_CLUSTER.log"
fi
read -r _ _ PG_PORT status _ < <(cluster_line)
[[ $status == online* ]] || die "cluster $PG_VER/$PG_CLUSTER is $status after start"
for _ in $(seq 1 30); do
	"$PG_BIN/pg_isready" -q -p "$PG_PORT" && break
	sleep 1
done
"$PG_BIN/pg_isready" -q -p "$PG_PORT" || die "server on port $PG_PORT does not accept connections"
log "cluster $PG_VER/$PG_CLUSTER online on port $PG_PORT"

# ---------------------------------------------------------------------------------------------
# Settings for this machine. A packaged cluster starts with 128 MB of shared_buffers whatever the
# machine, against HNSW indexes that reach gigabytes; the vector index builds want memory and
# workers. Set once with ALTER SYSTEM (postgresql.auto.conf), only where the value differs, and
# printed; a change of shared_buffers restarts the cluster. PG_TUNE=0 leaves the settings alone.

tune_cluster() {
	local mem_kb cores mb
	mem_kb=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo 2>/dev/null || true)
	[[ -n $mem_kb ]] || {
		log "cannot read the memory size from /proc/meminfo; leaving the settings as they are"
		return 0
	}
	cores=$(nproc 2>/dev/null || echo 2)
	mb=$((mem_kb / 1024))
	# A quarter of memory for shared_buffers (at most 4 GB: the machine also builds and tests),
	# the planner told that half of it caches data, a sixteenth (at most 2 GB) for index builds,
	# and every core but one's worth of workers beside the leader of a parallel index build.
	local -A want=(
		[shared_buffers]="$((mb / 4 > 4096 ? 4096 : mb / 4))MB"
		[effective_cache_size]="$((mb / 2))MB"
		[maintenance_work_mem]="$((mb / 16 > 2048 ? 2048 : mb / 16))MB"
		[max_parallel_maintenance_workers]="$((cores > 1 ? cores - 1 : 1))"
	)
	local name have restart=0 changed=0
	for name in shared_buffers effective_cache_size maintenance_work_mem max_parallel_maintenance_workers; do
		# Memory settings compare as sizes ("4GB" is "4096MB").
		have=$(psql_su -d postgres -tA -v name="$name" -v value="${want[$name]}" <<'SQL'
SELECT CASE WHEN unit IS NULL THEN setting = :'value'
	ELSE pg_size_bytes(current_setting(:'name')) = pg_size_bytes(:'value') END
FROM pg_settings WHERE name = :'name'
SQL
		)
		[[ $have == t ]] && continue
		log "tuning: $name = ${want[$name]} (${mb} MB of memory, $cores cores)"
		psql_su -d postgres -v name="$name" -v value="${want[$name]}" <<'SQL' || die "ALTER SYSTEM SET $name failed"
ALTER SYSTEM SET :"name" = :'value';
SQL
		changed=1
		[[ $name == shared_buffers ]] && restart=1
	done
	if ((restart)); then
		log "restarting cluster $PG_VER/$PG_CLUSTER for shared_buffers"
		priv pg_ctlcluster "$PG_VER" "$PG_CLUSTER" restart 3>&- ||
			die "could not restart cluster $PG_VER/$PG_CLUSTER; see /var/log/postgresql/postgresql-$PG_VER-$PG_CLUSTER.log"
		for _ in $(seq 1 30); do
			"$PG_BIN/pg_isready" -q -p "$PG_PORT" && break
			sleep 1
		done
	elif ((changed)); then
		psql_su -d postgres -tA -c 'SELECT pg_reload_conf()' >/dev/null
	else
		log "settings already tuned for this machine"
	fi
}

psql_su() { as_postgres "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"; }

if [[ ${PG_TUNE:-1} != 0 ]]; then
	tune_cluster
fi

# ---------------------------------------------------------------------------------------------
# Role, database, extension

# Identifiers and literals are interpolated by psql (:"x" and :'x'), never by the shell.
psql_su -d postgres -v user="$DB_USER" -v password="$DB_PASSWORD" -v db="$DB_NAME" <<'SQL' ||
SET password_encryption = 'scram-sha-256';
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') AS create_role \gset
\if :create_role
CREATE ROLE :"user" LOGIN;
\endif
ALTER ROLE :"user" WITH LOGIN PASSWORD :'password';
SELECT NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') AS create_db \gset
\if :create_db
CREATE DATABASE :"db" OWNER :"user";
\else
ALTER DATABASE :"db" OWNER TO :"user";
\endif
SQL
	die "creating role $DB_USER / database $DB_NAME failed"
psql_su -d "$DB_NAME" -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION IF NOT EXISTS vector' ||
	die "CREATE EXTENSION vector in $DB_NAME failed"
log "role $DB_USER, database $DB_NAME and extension vector ready"

# ---------------------------------------------------------------------------------------------
# Password login over TCP (what the server uses)

# check_login: prints psql's error message (stderr) and fails when the login does not work.
check_login() {
	# shellcheck disable=SC2069 # intended: stderr to the caller, stdout discarded
	PGPASSWORD=$DB_PASSWORD PGSSLMODE=disable PGCONNECT_TIMEOUT=10 "$PG_BIN/psql" -X -q -w -tA \
		-h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -d "$DB_NAME" -c 'SELECT 1' 2>&1 >/dev/null
}
# hba_add_rules FILE: prepends (first match wins) scram rules for DB_USER/DB_NAME on loopback.
hba_add_rules() {
	local hba=$1 new
	new=$(mktemp -t coach-hba.XXXXXXXX)
	CLEANUP+=("$new")
	{
		printf '# added by coach scripts/db.sh\n'
		printf 'host\t%s\t%s\t127.0.0.1/32\tscram-sha-256\n' "$DB_NAME" "$DB_USER"
		printf 'host\t%s\t%s\t::1/128\tscram-sha-256\n' "$DB_NAME" "$DB_USER"
		priv cat -- "$hba"
	} >"$new"
	# tee rewrites the file in place, keeping its owner and mode.
	priv tee -- "$hba" <"$new" >/dev/null
}

if ! err=$(check_login); then
	case $err in
	*pg_hba.conf* | *"authentication failed"*)
		hba=$(psql_su -d postgres -tA -c 'SHOW hba_file')
		log "password login on 127.0.0.1 refused: $err"
		log "adding scram-sha-256 rules for $DB_USER/$DB_NAME on 127.0.0.1 and ::1 to $hba"
		hba_add_rules "$hba"
		psql_su -d postgres -tA -c 'SELECT pg_reload_conf()' >/dev/null
		sleep 1
		err=$(check_login) || die "password login as $DB_USER on 127.0.0.1:$PG_PORT still fails: $err"
		;;
	*)
		die "cannot connect to 127.0.0.1:$PG_PORT as $DB_USER: $err (does listen_addresses include localhost?)"
		;;
	esac
fi
ext_version=$(PGPASSWORD=$DB_PASSWORD "$PG_BIN/psql" -X -q -w -tA -h 127.0.0.1 -p "$PG_PORT" \
	-U "$DB_USER" -d "$DB_NAME" -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'")
log "password login on 127.0.0.1:$PG_PORT works; pgvector $ext_version in $DB_NAME (${SECONDS}s)"

printf 'DATABASE_URL=postgres://%s:%s@localhost:%s/%s?sslmode=disable\n' \
	"$DB_USER" "$DB_PASSWORD" "$PG_PORT" "$DB_NAME" >&3
