#!/bin/sh
# tests/deb/run.sh - the Debian package on this machine, as a server is installed and kept (issue 23):
#   1. build the package twice (make deb): this source, and a newer version with one more migration
#   2. dpkg -i: files, owners, modes, the system user, the conffile, the dependencies
#   3. systemd-analyze verify on the units (no systemd runs here, so the service is started the way its
#      unit says: ExecStartPre and ExecStart as the user yuanluo, with the packaged config; READY=1 is
#      read from a NOTIFY_SOCKET of our own)
#   4. nginx with the shipped site (ports, certificate and upstream changed) and a self-signed
#      certificate: nginx -t, then API smoke tests through it from 127.0.0.2: the audit log and the access
#      log name 127.0.0.2, never nginx's address nor a forged X-Forwarded-For
#   5. the backup script twice with retention
#   6. upgrade to the newer package: a backup, the migration, the key, the config and the data kept
#   7. a downgrade over the newer schema refused; remove; purge
# Root only; changes this machine (installs yuanluo, adds then deletes the user yuanluo); refuses to run
# where /var/lib/yuanluo or the user already exists. Ends with "N passed, N failed".
set -eu
cd "$(dirname "$0")/../.."
top=$(pwd)

[ "$(id -u)" = 0 ] || { echo "tests/deb: run as root (it installs the package on this machine)" >&2; exit 1; }
if dpkg-query -W -f='${Status}' yuanluo 2>/dev/null | grep -qv not-installed || [ -e /var/lib/yuanluo ] || [ -e /etc/yuanluo ] ||
	getent passwd yuanluo >/dev/null; then
	echo "tests/deb: yuanluo is installed here already (or /var/lib/yuanluo or the user exists):" >&2
	echo "tests/deb: this test installs and purges it, so it runs only on a machine without it" >&2
	echo "tests/deb: (what a killed run left: dpkg -P yuanluo; rm -r /var/lib/yuanluo /etc/yuanluo; userdel yuanluo)" >&2
	exit 1
fi

start=$(date +%s)
work=$(mktemp -d /tmp/yuanluo-deb-test.XXXXXX)
chmod 755 "$work"
passed=0
failed=0
server_pid=""
nginx_pid=""
listener_pid=""

stop_pid() {
	if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
		kill -TERM "$1" 2>/dev/null || true
		i=0
		while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	fi
}

cleanup() {
	stop_pid "$server_pid"
	stop_pid "$nginx_pid"
	stop_pid "$listener_pid"
	# Leave the machine as found: the package, its data, its user.
	if dpkg-query -W -f='${Status}' yuanluo 2>/dev/null | grep -qv not-installed; then
		dpkg -P yuanluo >/dev/null 2>&1 || true
	fi
	if [ -f "$work/owned" ]; then
		rm -rf /var/lib/yuanluo /etc/yuanluo
		getent passwd yuanluo >/dev/null && userdel yuanluo 2>/dev/null || true
		getent group yuanluo >/dev/null && groupdel yuanluo 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ok() {
	passed=$((passed + 1))
	echo "ok   $*"
}
bad() {
	failed=$((failed + 1))
	echo "FAIL $*"
}
# check "what" command...: passes when the command succeeds.
check() {
	what=$1
	shift
	if "$@" >"$work/check.out" 2>&1; then ok "$what"; else bad "$what"; sed 's/^/     | /' "$work/check.out" | head -20; fi
}
mode_is() { [ "$(stat -c '%U:%G %a' "$1")" = "$2" ] || { echo "$1 is $(stat -c '%U:%G %a' "$1"), want $2"; return 1; }; }
has() { grep -q -- "$2" "$1" || { echo "no '$2' in $1:"; tail -n 20 "$1"; return 1; }; }
hasnt() { ! grep -q -- "$2" "$1" || { echo "'$2' in $1:"; grep -- "$2" "$1" | head -5; return 1; }; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
as_yuanluo() { (cd /var/lib/yuanluo && runuser -u yuanluo -- "$@"); }
# The unit's own command lines, so the test starts what systemd would.
unit_line() { sed -n "s/^$2=//p" "/lib/systemd/system/$1"; }

# ---- 1. build ------------------------------------------------------------------------------------------
base=$(dpkg-parsechangelog -S Version)
newer="$base+debtest1"
t=$(date +%s)
sh tools/deb-build.sh >"$work/build1.log" 2>&1 || { tail -n 30 "$work/build1.log"; exit 1; }
deb1=$(tail -n 1 "$work/build1.log")
DEB_VERSION=$newer DEB_EXTRA_MIGRATION=tests/deb/900_deb_upgrade_test.sql sh tools/deb-build.sh \
	>"$work/build2.log" 2>&1 || { tail -n 30 "$work/build2.log"; exit 1; }
deb2=$(tail -n 1 "$work/build2.log")
echo "built $deb1 and $deb2 in $(($(date +%s) - t)) s"
check "lintian: no errors or warnings (overrides explained in debian/*lintian-overrides)" \
	sh -c "! grep -E '^[EW]:' build/deb/$base/lintian.txt"
grep -E '^[EWIPX]:' "build/deb/$base/lintian.txt" | sed 's/^/     lintian | /' || true
check "Depends: the shlibs of the binary, and adduser for the postinst" sh -c "
	dpkg-deb -f $deb1 Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -v -E '^(lib[a-z0-9.+-]+|adduser)$' | grep . && exit 1
	dpkg-deb -f $deb1 Depends | grep -q libmicrohttpd"

# ---- 2. install ----------------------------------------------------------------------------------------
touch "$work/owned"
check "dpkg -i $base" dpkg -i "$deb1"
cp "$work/check.out" "$work/install.out"
check "postinst says how to make the first administrator" has "$work/install.out" "runuser -u yuanluo -- yuanluo init"
check "system user yuanluo: system uid, home /var/lib/yuanluo, no login shell" sh -c '
	IFS=: read -r name x uid gid gecos home shell <<EOF
$(getent passwd yuanluo)
EOF
	[ "$uid" -lt 1000 ] && [ "$home" = /var/lib/yuanluo ] && [ "$shell" = /usr/sbin/nologin ] || { getent passwd yuanluo; exit 1; }'
check "/var/lib/yuanluo yuanluo:yuanluo 0750" mode_is /var/lib/yuanluo "yuanluo:yuanluo 750"
check "/var/lib/yuanluo/backups yuanluo:yuanluo 0750" mode_is /var/lib/yuanluo/backups "yuanluo:yuanluo 750"
check "/etc/yuanluo/yuanluo.ini root:yuanluo 0640" mode_is /etc/yuanluo/yuanluo.ini "root:yuanluo 640"
check "/etc/yuanluo/yuanluo.ini is a conffile" sh -c "dpkg-query -W -f='\${Conffiles}' yuanluo | grep -q ' /etc/yuanluo/yuanluo.ini '"
check "/usr/bin/yuanluo root 0755" mode_is /usr/bin/yuanluo "root:root 755"
for f in /usr/share/yuanluo/web/index.html /usr/share/yuanluo/web/js/app.js /usr/share/yuanluo/web/vendor/echarts.esm.min.js \
	/usr/share/yuanluo/calendar/2026.csv /usr/lib/yuanluo/yuanluo-backup /lib/systemd/system/yuanluo.service \
	/lib/systemd/system/yuanluo-backup.service /lib/systemd/system/yuanluo-backup.timer \
	/usr/share/doc/yuanluo/examples/nginx-yuanluo.conf /usr/share/doc/yuanluo/DEPLOY.md /usr/share/man/man1/yuanluo.1.gz; do
	check "installed $f" test -s "$f"
done
check "no key file before the first start" test ! -e /var/lib/yuanluo/yuanluo.key
check "the installed binary finds /etc/yuanluo/yuanluo.ini and /usr/share/yuanluo by itself" sh -c '
	cd / && yuanluo help settings | grep -q "else /etc/yuanluo/yuanluo.ini" &&
	yuanluo help settings | grep -q "(default /usr/share/yuanluo/web)"'

# ---- 3. the units --------------------------------------------------------------------------------------
check "systemd-analyze verify: the three units, no complaints" sh -c '
	systemd-analyze verify /lib/systemd/system/yuanluo.service /lib/systemd/system/yuanluo-backup.service \
		/lib/systemd/system/yuanluo-backup.timer >'"$work"'/verify.out 2>&1; rc=$?
	cat '"$work"'/verify.out; [ $rc = 0 ] && [ ! -s '"$work"'/verify.out ]'
systemd-analyze security --offline=true /lib/systemd/system/yuanluo.service 2>/dev/null | tail -n 1 | sed 's/^/     /' || true

# The admin's own change to the conffile (a free port: 8080 may be taken here), kept by the upgrade.
port=$(free_port)
sed -i "s/^listen = 127.0.0.1:8080$/listen = 127.0.0.1:$port/" /etc/yuanluo/yuanluo.ini
ini_sum=$(sha256sum </etc/yuanluo/yuanluo.ini)

# A notify socket of our own stands in for systemd's.
notify="$work/notify.sock"
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
import os; os.chmod(sys.argv[1], 0o777)
with open(sys.argv[2], "a") as out:
    while True:
        msg = s.recv(4096).decode()
        out.write(msg.replace("\n", " ") + "\n"); out.flush()
' "$notify" "$work/notify.log" &
listener_pid=$!
i=0; while [ ! -S "$notify" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

start_service() {
	: >"$work/notify.log"
	pre=$(unit_line yuanluo.service ExecStartPre)
	cmd=$(unit_line yuanluo.service ExecStart)
	# shellcheck disable=SC2086
	(cd /var/lib/yuanluo && umask 077 && runuser -u yuanluo -- $pre) >>"$work/journal" 2>&1 || return 1
	# shellcheck disable=SC2086
	# setpriv, not runuser: it execs, so the PID is the server's own (systemd's MAINPID).
	(cd /var/lib/yuanluo && umask 077 && NOTIFY_SOCKET="$notify" && export NOTIFY_SOCKET &&
		exec setpriv --reuid=yuanluo --regid=yuanluo --init-groups $cmd) >>"$work/journal" 2>&1 &
	server_pid=$!
	i=0
	while ! grep -q "READY=1" "$work/notify.log" && [ $i -lt 100 ]; do
		kill -0 $server_pid 2>/dev/null || return 1
		sleep 0.1
		i=$((i + 1))
	done
	grep -q "READY=1" "$work/notify.log"
}
stop_service() {
	stop_pid "$server_pid"
	wait "$server_pid" 2>/dev/null
	rc=$?
	server_pid=""
	return $rc
}

check "first start (the unit's ExecStartPre, ExecStart as yuanluo): READY=1 on the notify socket" start_service
check "sd_notify STATUS names the address" has "$work/notify.log" "STATUS=listening on 127.0.0.1:$port"
check "the key file was made by the first start: yuanluo:yuanluo 0600" mode_is /var/lib/yuanluo/yuanluo.key "yuanluo:yuanluo 600"
check "the database is the service's own, not others'" sh -c 'stat -c "%U %a" /var/lib/yuanluo/yuanluo.db | grep -q "^yuanluo 600$"'
key_sum=$(sha256sum </var/lib/yuanluo/yuanluo.key)
check "a second ExecStartPre leaves the key alone" sh -c "cd /var/lib/yuanluo && runuser -u yuanluo -- $(unit_line yuanluo.service ExecStartPre) >/dev/null &&
	[ \"\$(sha256sum </var/lib/yuanluo/yuanluo.key)\" = '$key_sum' ]"
check "the first administrator: runuser -u yuanluo -- yuanluo init" sh -c "as() { cd /var/lib/yuanluo && runuser -u yuanluo -- \"\$@\"; }; as yuanluo init >$work/init.out"
password=$(sed -n 's/^password: *//p' "$work/init.out")
check "the demo tree and people (encrypted phones) to keep across the upgrade" as_yuanluo yuanluo demo --no-orders
as_yuanluo yuanluo export persons --unmasked --out /var/lib/yuanluo/persons-before.csv >/dev/null 2>&1 || true
check "an export of people with their phones decrypted" grep -qE '1[3-9][0-9]{9}' /var/lib/yuanluo/persons-before.csv

# ---- 4. nginx with TLS in front ------------------------------------------------------------------------
https=$(free_port)
http=$(free_port)
mkdir -p "$work/nginx/logs" "$work/nginx/tmp"
chown -R www-data "$work/nginx/tmp"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	-keyout "$work/nginx/key.pem" -out "$work/nginx/cert.pem" >/dev/null 2>&1
# The shipped site with only this machine's differences: addresses and ports, the certificate, the upstream.
sed -e "s/listen 80;/listen 127.0.0.1:$http;/" -e "s/listen 443 ssl http2;/listen 127.0.0.1:$https ssl http2;/" \
	-e '/listen \[::\]/d' -e "s/server 127.0.0.1:8080;/server 127.0.0.1:$port;/" \
	-e "s#/etc/ssl/certs/yuanluo.pem#$work/nginx/cert.pem#" -e "s#/etc/ssl/private/yuanluo.key#$work/nginx/key.pem#" \
	/usr/share/doc/yuanluo/examples/nginx-yuanluo.conf >"$work/nginx/site.conf"
cat >"$work/nginx/nginx.conf" <<EOF
user www-data;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 64; }
http {
	include /etc/nginx/mime.types;
	access_log $work/nginx/logs/access.log;
	client_body_temp_path $work/nginx/tmp/body;
	proxy_temp_path $work/nginx/tmp/proxy;
	fastcgi_temp_path $work/nginx/tmp/fastcgi;
	uwsgi_temp_path $work/nginx/tmp/uwsgi;
	scgi_temp_path $work/nginx/tmp/scgi;
	include $work/nginx/site.conf;
}
EOF
check "nginx -t on the shipped site (self-signed certificate)" nginx -t -p "$work/nginx" -c "$work/nginx/nginx.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>>"$work/nginx/logs/error.log" &
nginx_pid=$!
i=0; while ! curl -s -o /dev/null "http://127.0.0.1:$http/" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

# The client is 127.0.0.2 (the loopback has them all); nginx reaches the server from 127.0.0.1.
c() { curl -sS --interface 127.0.0.2 --cacert "$work/nginx/cert.pem" "$@"; }
u="https://127.0.0.1:$https"
code() { c -o /dev/null -w '%{http_code}' "$@" 2>/dev/null || true; }
check "HTTP redirects to HTTPS" test "$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$http/x")" = "301 https://127.0.0.1/x"
check "GET /healthz through nginx over TLS 1.3" test "$(code --tlsv1.3 "$u/healthz")" = 200
check "  and over TLS 1.2 (older phones)" test "$(code --tlsv1.2 --tls-max 1.2 "$u/healthz")" = 200
c -D "$work/index.h" -o "$work/index.html" "$u/" || true
check "the web UI's start page, served by nginx with the server's CSP, HSTS and no-cache" sh -c "
	grep -qi '^content-security-policy: default-src' $work/index.h && grep -qi '^strict-transport-security:' $work/index.h &&
	grep -qi '^cache-control: no-cache' $work/index.h && grep -q '<html' $work/index.html"
check "the vendored chart library, served by nginx" test "$(code "$u/vendor/echarts.esm.min.js")" = 200
c -H 'Content-Type: application/json' -H 'X-Forwarded-For: 203.0.113.9' -D "$work/login.h" -o "$work/login.json" \
	-d "{\"login\":\"admin\",\"password\":\"$password\"}" "$u/api/v1/auth/login" || true
check "login through nginx" has "$work/login.json" '"csrf_token"'
check "the session cookie is Secure behind TLS" sh -c "grep -i '^set-cookie:' $work/login.h | grep -q '; Secure'"
cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p' "$work/login.h" | head -n 1)
csrf=$(sed -n 's/.*"csrf_token": *"\([^"]*\)".*/\1/p' "$work/login.json")
newpw="Deb-test-$(date +%s)-Pw!"
c -H 'Content-Type: application/json' -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -o "$work/pw.json" \
	-d "{\"old_password\":\"$password\",\"password\":\"$newpw\"}" "$u/api/v1/auth/password" || true
check "change the first password through nginx" has "$work/pw.json" '"changed"'
c -H "Cookie: $cookie" -o "$work/nodes.json" "$u/api/v1/nodes?limit=5" || true
check "an API list through nginx (the demo's nodes)" has "$work/nodes.json" '"items"'
c -H "Cookie: $cookie" -o "$work/me.json" "$u/api/v1/auth/me" || true
check "who am I through nginx" has "$work/me.json" '"admin"'
head -c 9000000 /dev/zero >"$work/big.bin"
check "a body above max_body is refused by nginx (413)" \
	test "$(code -H 'Content-Type: application/json' --data-binary @"$work/big.bin" "$u/api/v1/auth/login")" = 413
big=$(head -c 40000 /dev/zero | tr '\0' a)
check "a request head above max_header is refused over HTTP/1.1 by nginx (400)" \
	test "$(code --http1.1 -H "X-Big: $big" "$u/healthz")" = 400
# nginx 1.22 lets a 40 kB header through over HTTP/2: the server's own limit answers.
check "  and over HTTP/2 by the server (431)" test "$(code --http2 -H "X-Big: $big" "$u/healthz")" = 431
as_yuanluo yuanluo audit list >"$work/audit.txt" 2>&1 || true
check "the audit log names the client 127.0.0.2 for its login" sh -c "grep 'login' $work/audit.txt | grep -q '	127.0.0.2	'"
check "the audit log never names the forged 203.0.113.9" hasnt "$work/audit.txt" "203.0.113.9"
check "the audit log never names nginx (127.0.0.1)" hasnt "$work/audit.txt" "	127.0.0.1	"
check "the access log's JSON lines (the journal) name the client" sh -c "
	grep '^{.*/api/v1/auth/login' $work/journal | grep -q '\"remote\": *\"127.0.0.2\"'"
check "static files never reached the server (nginx served them)" hasnt "$work/journal" '/vendor/echarts.esm.min.js'

# ---- 5. backups on a schedule: the timer's service, with retention --------------------------------------
backup_cmd=$(unit_line yuanluo-backup.service ExecStart)
for old in 20200101T000000Z 20200102T000000Z 20200103T000000Z; do
	as_yuanluo touch "/var/lib/yuanluo/backups/yuanluo-$old.backup"
done
check "the backup service's command, BACKUP_KEEP=3" sh -c "cd /var/lib/yuanluo && runuser -u yuanluo -- env BACKUP_KEEP=3 $backup_cmd >$work/backup1.out 2>&1"
sleep 1.1
check "and again a second later (a newer dated file)" sh -c "cd /var/lib/yuanluo && runuser -u yuanluo -- env BACKUP_KEEP=3 $backup_cmd >$work/backup2.out 2>&1"
ls /var/lib/yuanluo/backups >"$work/backups.txt"
check "retention: the newest 3 kept (two new, the newest old one), the older ones removed" sh -c "
	[ \$(grep -c '^yuanluo-.*Z\.backup$' $work/backups.txt) = 3 ] && grep -q yuanluo-20200103T000000Z $work/backups.txt &&
	! grep -q yuanluo-20200101T000000Z $work/backups.txt && has() { grep -q \"\$2\" \"\$1\"; } && has $work/backup2.out removed"
newest=$(ls /var/lib/yuanluo/backups/yuanluo-2*.backup | sort | tail -n 1)
check "the newest backup is a whole database: yuanluo:yuanluo 0600, integrity ok, the admin in it" sh -c "
	stat -c '%U %a' $newest | grep -q '^yuanluo 600$' &&
	[ \"\$(sqlite3 $newest 'PRAGMA integrity_check')\" = ok ] && sqlite3 $newest \"SELECT login FROM users\" | grep -q '^admin$'"

# ---- 6. upgrade ----------------------------------------------------------------------------------------
check "the server stops on SIGTERM with status 0 (as systemctl stop)" stop_service
check "dpkg -i $newer (one more migration)" dpkg -i "$deb2"
cp "$work/check.out" "$work/upgrade.out"
sed 's/^/     | /' "$work/upgrade.out" | grep 'yuanluo:' || true
check "the upgrade backed up the database first" sh -c "ls /var/lib/yuanluo/backups/ | grep -q '^yuanluo-pre-upgrade-$base-.*\.backup$'"
# The schema of this source: its highest migration (the test package adds 900).
schema=$(ls src/store/schema/*.sql | sed 's|.*/0*\([0-9][0-9]*\)_.*|\1|' | sort -n | tail -n 1)
check "the upgrade says it migrated" has "$work/upgrade.out" "migrating the database from schema version $schema to 900"
check "the schema is the new one" sh -c "as() { cd /var/lib/yuanluo && runuser -u yuanluo -- \"\$@\"; }; as yuanluo migrate --status | grep -q 'version 900, this program 900'"
check "the key file survived: same bytes, yuanluo:yuanluo 0600" sh -c "[ \"\$(sha256sum </var/lib/yuanluo/yuanluo.key)\" = '$key_sum' ]" 
check "  and its mode" mode_is /var/lib/yuanluo/yuanluo.key "yuanluo:yuanluo 600"
check "the admin's change to the conffile survived, with no .dpkg-dist beside it" sh -c "
	[ \"\$(sha256sum </etc/yuanluo/yuanluo.ini)\" = '$ini_sum' ] && ! ls /etc/yuanluo/ | grep -q dpkg"
check "the conffile is still root:yuanluo 0640" mode_is /etc/yuanluo/yuanluo.ini "root:yuanluo 640"
check "the upgraded server starts (READY=1)" start_service
c -H 'Content-Type: application/json' -o "$work/login2.json" -d "{\"login\":\"admin\",\"password\":\"$newpw\"}" "$u/api/v1/auth/login" || true
check "the data survived: login with the password changed before the upgrade" has "$work/login2.json" '"csrf_token"'
as_yuanluo yuanluo export persons --unmasked --out /var/lib/yuanluo/persons-after.csv >/dev/null 2>&1 || true
check "the encrypted phones read the same after the upgrade" cmp /var/lib/yuanluo/persons-before.csv /var/lib/yuanluo/persons-after.csv
check "the audit chain is intact" as_yuanluo yuanluo audit verify
check "stop" stop_service

# ---- 7. downgrade refused, remove, purge ---------------------------------------------------------------
check "a downgrade to $base over schema 900 is refused" sh -c "! dpkg -i $deb1 >$work/downgrade.out 2>&1"
sed 's/^/     | /' "$work/downgrade.out" | grep 'yuanluo:' || true
check "  with a clear message" has "$work/downgrade.out" "refusing to replace yuanluo $newer with an older version"
check "  and $newer stays installed and configured" sh -c "[ \"\$(dpkg-query -W -f='\${Version} \${Status}' yuanluo)\" = '$newer install ok installed' ]"
# Rolling back as docs/DEPLOY.md says: the pre-upgrade backup restored, then the older package.
check "roll back: restore the pre-upgrade backup (the service stopped)" \
	as_yuanluo yuanluo restore "$(ls /var/lib/yuanluo/backups/yuanluo-pre-upgrade-*.backup | head -n 1)"
check "  then the older package installs" dpkg -i "$deb1"
check "  and its server starts on the restored data" start_service
c -H 'Content-Type: application/json' -o "$work/login3.json" -d "{\"login\":\"admin\",\"password\":\"$newpw\"}" "$u/api/v1/auth/login" || true
check "  where the admin's password changed before the upgrade works" has "$work/login3.json" '"csrf_token"'
check "  stop" stop_service
check "dpkg -r" dpkg -r yuanluo
check "remove: the binary gone; the conffile, the data, the key and the user kept" sh -c "
	! [ -e /usr/bin/yuanluo ] && [ -f /etc/yuanluo/yuanluo.ini ] && [ -f /var/lib/yuanluo/yuanluo.db ] &&
	[ -f /var/lib/yuanluo/yuanluo.key ] && getent passwd yuanluo >/dev/null"
check "dpkg -P" dpkg -P yuanluo
cp "$work/check.out" "$work/purge.out"
check "purge: /etc/yuanluo and its stat override gone" sh -c "! [ -e /etc/yuanluo ] && ! dpkg-statoverride --list /etc/yuanluo/yuanluo.ini"
check "purge: the data kept, and it says so" sh -c "[ -f /var/lib/yuanluo/yuanluo.db ] && [ -f /var/lib/yuanluo/yuanluo.key ] &&
	grep -q 'the data stays in /var/lib/yuanluo' $work/purge.out"
check "purge: no unit left enabled" sh -c "! ls /etc/systemd/system/*/yuanluo* 2>/dev/null | grep ."

echo "tests/deb: $passed passed, $failed failed ($(($(date +%s) - start)) s)"
[ "$failed" = 0 ]
