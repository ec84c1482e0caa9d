#!/usr/bin/env bash
# Two real OpenSSH servers on loopback, for the tests of `metron remote`.
#
#   scripts/sshd.sh start DIR   start host 1 (127.0.0.2:2222) and host 2 (127.0.0.3:2222)
#   scripts/sshd.sh stop DIR    stop both
#
# Both are Debian's /usr/sbin/sshd (openssh-server is installed with apt-get
# when missing; that needs root, as the servers themselves do). Everything
# they use lives in DIR: host keys, one sshd_config and pid file and log per
# host, the user key DIR/id_ed25519 (no passphrase) whose public half is the
# only entry of DIR/authorized_keys, and for the client:
#
#   DIR/known_hosts   the host keys of [127.0.0.2]:2222 and [127.0.0.3]:2222,
#                     so clients keep StrictHostKeyChecking=yes
#   DIR/ssh_config    a client config for both hosts (user root, port 2222,
#                     the key, the known_hosts file): ssh -F DIR/ssh_config 127.0.0.2
#
# Every 127.0.0.0/8 address routes to lo on Linux, so the two hosts need no
# network set-up. Both commands are idempotent: start on running servers
# checks they answer, stop on stopped ones does nothing.
set -euo pipefail

ADDRESSES=(127.0.0.2 127.0.0.3)
PORT=2222
SSHD=/usr/sbin/sshd

die() { echo "sshd.sh: $*" >&2; exit 1; }

usage() { die "usage: $0 start|stop DIR"; }

# openssh-server from Debian's packages, when this machine does not have it.
install_sshd() {
    [[ -x $SSHD ]] && return 0
    [[ $(id -u) -eq 0 ]] || die "$SSHD is missing and installing openssh-server needs root"
    command -v apt-get >/dev/null || die "$SSHD is missing and there is no apt-get to install openssh-server"
    echo "sshd.sh: installing openssh-server" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q openssh-server >"$DIR/apt.log" 2>&1; then
        apt-get update -q >>"$DIR/apt.log" 2>&1 || true
        apt-get install -y -q openssh-server >>"$DIR/apt.log" 2>&1 ||
            die "installing openssh-server failed (see $DIR/apt.log): $(tail -n 1 "$DIR/apt.log")"
    fi
    [[ -x $SSHD ]] || die "openssh-server is installed but $SSHD is missing"
}

# Host keys and the user key, generated once per DIR.
make_keys() {
    [[ -f $DIR/ssh_host_ed25519_key ]] || ssh-keygen -q -t ed25519 -N '' -C metron-test-host -f "$DIR/ssh_host_ed25519_key"
    [[ -f $DIR/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C metron-test-user -f "$DIR/id_ed25519"
    cp "$DIR/id_ed25519.pub" "$DIR/authorized_keys"
    local key
    key=$(cut -d' ' -f1-2 "$DIR/ssh_host_ed25519_key.pub")
    : >"$DIR/known_hosts"
    for addr in "${ADDRESSES[@]}"; do
        echo "[$addr]:$PORT $key" >>"$DIR/known_hosts"
    done
    cat >"$DIR/ssh_config" <<EOF
Host ${ADDRESSES[*]}
    User root
    Port $PORT
    IdentityFile $DIR/id_ed25519
    IdentitiesOnly yes
    UserKnownHostsFile $DIR/known_hosts
    StrictHostKeyChecking yes
    BatchMode yes
EOF
}

# The sshd_config of host number $1 (1 or 2).
write_config() {
    local n=$1 addr=${ADDRESSES[$(($1 - 1))]}
    cat >"$DIR/sshd-$n.config" <<EOF
ListenAddress $addr:$PORT
HostKey $DIR/ssh_host_ed25519_key
PidFile $DIR/sshd-$n.pid
AuthorizedKeysFile $DIR/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
LogLevel VERBOSE
Subsystem sftp internal-sftp
EOF
}

# Whether process $1 runs (a zombie that nobody has reaped yet does not).
alive() {
    local state
    read -r _ _ state _ <"/proc/$1/stat" 2>/dev/null && [[ $state != Z ]]
}

# The pid of host $1's server, if it is running. The command line must name
# its config, so a stale pid file never makes this script signal a stranger.
running_pid() {
    local file=$DIR/sshd-$1.pid pid
    [[ -f $file ]] || return 1
    pid=$(cat "$file")
    [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$DIR/sshd-$1.config" || return 1
    echo "$pid"
}

# Whether host $1 accepts the user key and runs a command.
answers() {
    ssh -F "$DIR/ssh_config" -o ConnectTimeout=2 "${ADDRESSES[$(($1 - 1))]}" true </dev/null >/dev/null 2>&1
}

# Why host $1 is not up, from the end of its log.
log_tail() {
    tail -n 1 "$DIR/sshd-$1.log" 2>/dev/null || true
}

start() {
    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd)
    install_sshd
    make_keys
    mkdir -p /run/sshd
    chmod 0755 /run/sshd
    local n
    for n in 1 2; do
        write_config "$n"
        "$SSHD" -t -f "$DIR/sshd-$n.config" || die "host $n: sshd rejects $DIR/sshd-$n.config"
        running_pid "$n" >/dev/null && continue
        rm -f "$DIR/sshd-$n.pid"
        # sshd detaches before it binds: whether it got the address shows
        # in its pid file and its log, not in its exit status.
        "$SSHD" -f "$DIR/sshd-$n.config" -E "$DIR/sshd-$n.log" || die "host $n: $SSHD did not start: $(log_tail "$n")"
    done
    local started=$SECONDS
    for n in 1 2; do
        local where="host $n (${ADDRESSES[$((n - 1))]}:$PORT)"
        until answers "$n"; do
            if ! running_pid "$n" >/dev/null && ((SECONDS - started >= 2)); then
                die "$where is not running: $(log_tail "$n") (see $DIR/sshd-$n.log)"
            fi
            ((SECONDS - started < 20)) || die "$where does not accept the key after 20 s: $(log_tail "$n")"
            sleep 0.2
        done
    done
    cat <<EOF
two sshd hosts are up: root@${ADDRESSES[0]}:$PORT and root@${ADDRESSES[1]}:$PORT
  ssh -F $DIR/ssh_config ${ADDRESSES[0]}
  ssh -i $DIR/id_ed25519 -o UserKnownHostsFile=$DIR/known_hosts -p $PORT root@${ADDRESSES[1]}
stop them with: $0 stop $DIR
EOF
}

stop() {
    [[ -d $DIR ]] || return 0
    DIR=$(cd "$DIR" && pwd)
    local n pid
    for n in 1 2; do
        pid=$(running_pid "$n") || continue
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
            alive "$pid" || break
            sleep 0.1
        done
        if alive "$pid"; then kill -9 "$pid"; fi
        rm -f "$DIR/sshd-$n.pid"
    done
    return 0
}

[[ $# -eq 2 ]] || usage
DIR=$2
case $1 in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
