#!/usr/bin/env bash
# vctl through the console on the native kernel: boots the kernel with the
# native boot Bundle (initd, logd, the console) under QEMU (TCG), types
# commands into COM1 as a person would (each after the prompt appears,
# ended by CR), and checks the serial output. Natively `poweroff` ends
# initd, after which the kernel switches the machine off: QEMU must end by
# itself, with status 0. Every wait is bounded; the whole run by
# VCTL_NATIVE_TIMEOUT seconds (default 60).
# Usage: vctl_native.sh KERNEL.elf32 BOOT.bundle
set -u
img=$1 bundle=$2 suite=vctl-native
. "$(dirname "$0")/native_lib.sh"

type_cmd 'tasks' &&
type_cmd 'logs console' &&
type_cmd 'restart logd' &&
type_cmd 'tasks' &&
type_cmd 'bogus' &&
type_cmd 'restart console' &&
{ prompts=0; wait_for 'Vectra (native)' 2; } &&
{ prompts=$(count 'vectra> '); prompts=$((prompts - 1)); type_cmd 'tasks'; } &&
type_cmd 'poweroff' &&
wait_exit
echo "# vctl-native: $(( $(date +%s) - start )) s"

check banner 'Vectra \(native\)\. Type help for commands\.'
check tasks_shows_initd '^initd +running +0 '
check tasks_shows_logd '^logd +running +0 +[0-9]+K/[0-9]+K '
check tasks_shows_initd_memory '^initd +running +0 +[1-9][0-9]*K/[0-9]+K '
check tasks_shows_console '^console +running +0 '
check restart_ok 'restart logd: ok'
check restart_counted '^logd +running +1 +[0-9]+K/[0-9]+K +killed'
check logs_shows_records 'info +console: console ready'
check unknown_command 'unknown command .bogus.; try help'
check_count console_restarted 'Vectra (native)' 2
check console_restart_counted '^console +running +1 +[0-9]+K/[0-9]+K +killed'
check poweroff_prints 'powering off'
check initd_exits_cleanly "first Task 'init' exited, code 0"
check kernel_powers_off 'vectra: nothing more to run; powering off'
if [ -z "$qpid" ] && [ "$qrc" = 0 ]; then ok qemu_exits_after_poweroff
else bad qemu_exits_after_poweroff "QEMU ${qrc:+ended with status $qrc}${qpid:+still running}"; fi

echo "vctl-native: $pass passed, $fail failed"
[ "$fail" = 0 ]
