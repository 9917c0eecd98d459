#compdef kubectl-kuul

autoload -U is-at-least

_kubectl-kuul() {
    typeset -A opt_args
    typeset -a _arguments_options
    local ret=1

    if is-at-least 5.2; then
        _arguments_options=(-s -S -C)
    else
        _arguments_options=(-s -C)
    fi

    local context curcontext="$curcontext" state line
    _arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help]' \
'--help[Print help]' \
":: :_kubectl-kuul_commands" \
"*::: :->kubectl-kuul" \
&& ret=0
    case $state in
    (kubectl-kuul)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-kuul-command-$line[1]:"
        case $line[1] in
            (trigger)
_arguments "${_arguments_options[@]}" : \
'--name=[Name of the Job (default\: <cronjob>-manual-<random>); only with one CronJob]:NAME:_default' \
'*-e+[Set an environment variable in every container for this run (repeatable)]:KEY=VALUE:_default' \
'*--env=[Set an environment variable in every container for this run (repeatable)]:KEY=VALUE:_default' \
'--timeout=[Give up waiting after this long (e.g. 10m; 0\: no limit); the Job keeps running. Default\: no limit]:DURATION:_default' \
'--dry-run=[Only show what would change (client), or let the server validate it without storing anything (server)]::MODE:((none\:"Make the changes"
client\:"Only show what would be sent"
server\:"Send with \`dryRun=All\`\: the server validates, nothing is stored"))' \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'-w[Wait until the run completes or fails, and exit 0 or 1 with its result]' \
'--wait[Wait until the run completes or fails, and exit 0 or 1 with its result]' \
'-f[Stream the pod'\''s log while it runs (and the next pod'\''s on a retry); implies --wait]' \
'--logs[Stream the pod'\''s log while it runs (and the next pod'\''s on a retry); implies --wait]' \
'--follow[Stream the pod'\''s log while it runs (and the next pod'\''s on a retry); implies --wait]' \
'--force[Run even when concurrencyPolicy is Forbid and a run is active]' \
'-y[Don'\''t ask before triggering several CronJobs selected with -l]' \
'--yes[Don'\''t ask before triggering several CronJobs selected with -l]' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'*::names -- CronJobs to run now (or select them with -l):_default' \
&& ret=0
;;
(suspend-all)
_arguments "${_arguments_options[@]}" : \
'--reason=[Why, recorded on each CronJob as kuul.dev/suspend-reason]:TEXT:_default' \
'--save-to=[Also write the saved state to FILE as JSON (for \`resume --from FILE\`)]:FILE:_files' \
'--dry-run=[Only show what would change (client), or let the server validate it without storing anything (server)]::MODE:((none\:"Make the changes"
client\:"Only show what would be sent"
server\:"Send with \`dryRun=All\`\: the server validates, nothing is stored"))' \
'--concurrency=[How many writes to have in flight at once]:N:_default' \
'--timeout=[Give up starting new writes (and retrying) after this long; 0 means no limit]:DURATION:_default' \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--wait[Then wait until no Job of these CronJobs is running, up to --timeout (0\: no limit); exit 5 if some still run then]' \
'--delete-active-jobs[Then delete the Jobs of these CronJobs that are still running (with their pods)]' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'*::names -- CronJobs to suspend (default\: every CronJob in scope):_default' \
&& ret=0
;;
(resume)
_arguments "${_arguments_options[@]}" : \
'--from=[Restore the CronJobs listed in a \`suspend-all --save-to\` snapshot]:FILE:_files' \
'--dry-run=[Only show what would change (client), or let the server validate it without storing anything (server)]::MODE:((none\:"Make the changes"
client\:"Only show what would be sent"
server\:"Send with \`dryRun=All\`\: the server validates, nothing is stored"))' \
'--concurrency=[How many writes to have in flight at once]:N:_default' \
'--timeout=[Give up starting new writes (and retrying) after this long; 0 means no limit]:DURATION:_default' \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--force[With --from\: also restore CronJobs changed since the snapshot was taken (suspended again by a later suspend-all, or by hand after a resume), which are otherwise left alone]' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'*::names -- CronJobs to resume (default\: every CronJob in scope with saved state):_default' \
&& ret=0
;;
(reschedule-next-minute)
_arguments "${_arguments_options[@]}" : \
'--min-lead=[Skip to the minute after when fewer than this remain before the next one]:DURATION:_default' \
'--timeout=[With --wait\: give up after this long (0\: no limit; default\: 2 minutes past the fire time); the schedule is restored either way]:DURATION:_default' \
'--dry-run=[Only show what would change (client), or let the server validate it without storing anything (server)]::MODE:((none\:"Make the changes"
client\:"Only show what would be sent"
server\:"Send with \`dryRun=All\`\: the server validates, nothing is stored"))' \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'(-w --wait -f --logs --unsuspend --min-lead)--restore[Put the saved schedule back (and suspend again if --unsuspend lifted it)]' \
'-w[Wait until the controller has created the run, then restore the schedule]' \
'--wait[Wait until the controller has created the run, then restore the schedule]' \
'-f[Follow the run after the restore (progress, logs), exit 0 or 1 with its result; implies --wait]' \
'--logs[Follow the run after the restore (progress, logs), exit 0 or 1 with its result; implies --wait]' \
'--follow[Follow the run after the restore (progress, logs), exit 0 or 1 with its result; implies --wait]' \
'--unsuspend[Lift suspend for this run; restoring suspends the CronJob again]' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':cronjob -- The CronJob:_default' \
&& ret=0
;;
(prune)
_arguments "${_arguments_options[@]}" : \
'--older-than=[Only Jobs (and pods) that finished longer ago than this, e.g. 36h, 7d]:DURATION:_default' \
'--keep-last=[Keep the newest N finished Jobs of each CronJob; prune the rest]:N:_default' \
'(--orphans)--cronjob=[Only Jobs of this CronJob (by owner reference); narrows the other Job flags]:NAME:_default' \
'--dry-run=[Only show what would change (client), or let the server validate it without storing anything (server)]::MODE:((none\:"Make the changes"
client\:"Only show what would be sent"
server\:"Send with \`dryRun=All\`\: the server validates, nothing is stored"))' \
'--concurrency=[How many writes to have in flight at once]:N:_default' \
'--timeout=[Give up starting new writes (and retrying) after this long; 0 means no limit]:DURATION:_default' \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--succeeded[Only Jobs that succeeded]' \
'--failed[Only Jobs that failed]' \
'--manual[Only manual runs (kubectl'\''s cronjob.kubernetes.io/instantiate=manual, or k9s'\'' -manual- names)]' \
'--orphans[Only Jobs whose CronJob no longer exists]' \
'(--cronjob)--pods[Also delete Succeeded/Failed pods that no live Job owns]' \
'-y[Delete without asking]' \
'--yes[Delete without asking]' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(lastrun)
_arguments "${_arguments_options[@]}" : \
'*--fail-on=[With --check\: the problems that fail it, comma-separated\: BROKEN, SUSPENDED, STUCK, MISSED, FAILING, RUNNING-LONG, PENDING, NEVER-RAN, OK, LATE]:PROBLEM,...:_default' \
'--max-late=[A scheduled run that starts later than this after its scheduled time is LATE]:DURATION:_default' \
'--pending-for=[A run whose pod has been Pending (or whose Job could not create one) longer than this is STUCK]:DURATION:_default' \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--check[Exit with status 4 when any CronJob has a problem \`--fail-on\` names (default BROKEN, MISSED, FAILING, STUCK, and LATE with --max-late), printing one line per problem on stderr]' \
'(--check)-w[Keep the table current from watches\: redrawn in place on a terminal, one line per change otherwise (Ctrl-C ends it)]' \
'(--check)--watch[Keep the table current from watches\: redrawn in place on a terminal, one line per change otherwise (Ctrl-C ends it)]' \
'--allow-empty[With --check\: pass when there is no CronJob to check (by default an empty scope fails with status 4\: a monitor that checked nothing must not report healthy)]' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help]' \
'--help[Print help]' \
'*::names -- CronJobs to show (default\: all in scope):_default' \
&& ret=0
;;
(last-run)
_arguments "${_arguments_options[@]}" : \
'*--fail-on=[With --check\: the problems that fail it, comma-separated\: BROKEN, SUSPENDED, STUCK, MISSED, FAILING, RUNNING-LONG, PENDING, NEVER-RAN, OK, LATE]:PROBLEM,...:_default' \
'--max-late=[A scheduled run that starts later than this after its scheduled time is LATE]:DURATION:_default' \
'--pending-for=[A run whose pod has been Pending (or whose Job could not create one) longer than this is STUCK]:DURATION:_default' \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--check[Exit with status 4 when any CronJob has a problem \`--fail-on\` names (default BROKEN, MISSED, FAILING, STUCK, and LATE with --max-late), printing one line per problem on stderr]' \
'(--check)-w[Keep the table current from watches\: redrawn in place on a terminal, one line per change otherwise (Ctrl-C ends it)]' \
'(--check)--watch[Keep the table current from watches\: redrawn in place on a terminal, one line per change otherwise (Ctrl-C ends it)]' \
'--allow-empty[With --check\: pass when there is no CronJob to check (by default an empty scope fails with status 4\: a monitor that checked nothing must not report healthy)]' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help]' \
'--help[Print help]' \
'*::names -- CronJobs to show (default\: all in scope):_default' \
&& ret=0
;;
(label-pool)
_arguments "${_arguments_options[@]}" : \
'--key=[The node label that names the pool]:KEY:_default' \
'--dry-run=[Only show what would change (client), or let the server validate it without storing anything (server)]::MODE:((none\:"Make the changes"
client\:"Only show what would be sent"
server\:"Send with \`dryRun=All\`\: the server validates, nothing is stored"))' \
'--concurrency=[How many writes to have in flight at once]:N:_default' \
'--timeout=[Give up starting new writes (and retrying) after this long; 0 means no limit]:DURATION:_default' \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--overwrite[Move nodes that are in another pool (as kubectl label --overwrite)]' \
'(--overwrite)--remove[Take the nodes out of POOL (nodes in other pools are left alone)]' \
'(--overwrite --remove)--list[List pools (the default when no POOL is given); with POOL, only that pool]' \
'--check[With the listing\: exit 4 when a CronJob (not suspended) cannot be placed on any node]' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'::pool -- The pool (the label'\''s value):_default' \
'*::nodes -- Nodes to put in (or, with --remove, take out of) the pool:_default' \
&& ret=0
;;
(cost-report)
_arguments "${_arguments_options[@]}" : \
'--by=[Group the table by]:BY:((cronjob\:"One row per CronJob"
namespace\:"One row per namespace"
pool\:"One row per node pool, with the pool'\''s node cost and utilisation"))' \
'--window=[Runs that started this long ago or later count as observed (Go duration, or days\: 7d)]:DURATION:_default' \
'--cpu-price=[Price per vCPU-hour]:PRICE:_default' \
'--memory-price=[Price per GiB-hour of memory]:PRICE:_default' \
'--gpu-price=[Price per GPU-hour (nvidia.com/gpu)]:PRICE:_default' \
'--prices=[Price file (YAML or JSON)\: per-pool and per-instance-type prices or node prices]:FILE:_files' \
'--pool-key=[Node label whose value names a node'\''s pool]:KEY:_default' \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(history)
_arguments "${_arguments_options[@]}" : \
'--limit=[Show at most N runs per CronJob (the newest)]:N:_default' \
'--since=[Only runs (and events) newer than this, e.g. 2h, 7d]:DURATION:_default' \
'*--diff=[Show the whole pod template difference between two runs (Job names, or -N\: -1 is the newest)]:RUN1:_default:RUN1:_default' \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help]' \
'--help[Print help]' \
'*::names -- CronJobs to show (default\: all in scope):_default' \
&& ret=0
;;
(logs)
_arguments "${_arguments_options[@]}" : \
'(--failed --succeeded --all-runs --next)--run=[Which run\: a Job name, or -N (-1 is the latest, -2 the one before)]:RUN:_default' \
'--timeout=[With --next\: give up waiting after this long]:DURATION:_default' \
'-c+[The container (default\: kubectl'\''s choice, the default-container annotation or the first)]:NAME:_default' \
'--container=[The container (default\: kubectl'\''s choice, the default-container annotation or the first)]:NAME:_default' \
'--max-log-requests=[Log streams followed at once (-f --all-containers), and log requests in flight]:N:_default' \
'--tail=[Lines of recent log to show per container; -1 shows all]:N:_default' \
'--since=[Only lines newer than this, e.g. 5s, 2m, 3h]:DURATION:_default' \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'(--succeeded --all-runs --next)--failed[The latest failed run]' \
'(--all-runs --next)--succeeded[The latest successful run]' \
'(--next -f --follow)--all-runs[Every retained run, oldest first, each under a header line]' \
'--prefix[Prefix each line with its pod and container (\[pod/NAME/CONTAINER\]) instead of headers]' \
'-f[Follow the run'\''s log while it is active]' \
'--follow[Follow the run'\''s log while it is active]' \
'--next[Wait for the CronJob'\''s next run (scheduled or manual) to start, then follow it]' \
'(-c --container)--all-containers[Every container of each pod, init containers first]' \
'-p[The log of the previous instance of a restarted container]' \
'--previous[The log of the previous instance of a restarted container]' \
'--timestamps[Prefix each line with its RFC 3339 timestamp]' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help]' \
'--help[Print help]' \
':name -- The CronJob:_default' \
&& ret=0
;;
(lint)
_arguments "${_arguments_options[@]}" : \
'*-f+[Manifest file, directory or - for stdin (repeatable); YAML streams, JSON, kind\: List]:FILE|DIR|-:_default' \
'*--filename=[Manifest file, directory or - for stdin (repeatable); YAML streams, JSON, kind\: List]:FILE|DIR|-:_default' \
'--fail-on=[Exit 4 when a finding is at least this severe\: info, warning, error or never]:SEVERITY:_default' \
'--config=[Settings file (default\: the nearest .kuul-lint.yaml from the current directory up)]:PATH:_files' \
'--explain=[Print a rule'\''s page (or, with no RULE, list every rule) and exit]::RULE:_default' \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'-R[Process directories given with -f recursively]' \
'--recursive[Process directories given with -f recursively]' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help]' \
'--help[Print help]' \
'*::names -- CronJobs to lint in the cluster (default\: all in scope):_default' \
&& ret=0
;;
(forecast)
_arguments "${_arguments_options[@]}" : \
'--window=[How far ahead to look (Go duration, or days\: 7d; at most 31d)]:DURATION:_default' \
'--from=[Start of the window (RFC 3339; default\: the API server'\''s now)]:TIME:_default' \
'--assume-duration=[Every run lasts this long, instead of the median of its retained runs]:DURATION:_default' \
'--pool=[Only this pool (as label-pool names pools)]:POOL:_default' \
'--pool-key=[Node label whose value names a node'\''s pool]:KEY:_default' \
'*--autoscaled=[Pools that scale up on demand\: --suggest says when their capacity must be ready]:POOL:_default' \
'--prescale-lead=[How long an autoscaled pool takes to add a node]:DURATION:_default' \
'--top=[Peaks in the table]:N:_default' \
'--heatmap=[Heat map with the table output]:HEATMAP:((auto\:"On a terminal"
always\:"Always"
never\:"Never"))' \
'--svg=[Also write the chart as an SVG image]:FILE:_files' \
'--html=[Also write the chart and the peaks as an HTML page]:FILE:_files' \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--include-suspended[Forecast suspended CronJobs as if resumed]' \
'--suggest[Propose new minutes for the CronJobs that cause peaks, with the peak before and after]' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(dash)
_arguments "${_arguments_options[@]}" : \
'--pending-for=[A run whose pod has been Pending (or whose Job could not create one) longer than this is STUCK (as \`lastrun --pending-for\`)]:DURATION:_default' \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--read-only[Never write\: hide the trigger, suspend, resume, reschedule and prune keys (also automatic when RBAC refuses them)]' \
'--mouse[Let the mouse scroll and pick rows (it then takes over the terminal'\''s text selection)]' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(completion)
_arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help]' \
'--help[Print help]' \
":: :_kubectl-kuul__subcmd__completion_commands" \
"*::: :->completion" \
&& ret=0

    case $state in
    (completion)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-kuul-completion-command-$line[1]:"
        case $line[1] in
            (bash)
_arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(zsh)
_arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(fish)
_arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(powershell)
_arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(install)
_arguments "${_arguments_options[@]}" : \
'--dir=[Directory to write the hooks to (default\: the PATH directory holding kubectl-kuul)]:DIR:_files' \
'--kubeconfig=[Path to the kubeconfig file to use (default\: \$KUBECONFIG, then ~/.kube/config)]:PATH:_files' \
'*--context=[The kubeconfig context to use. Several (a,b, repeated, or a pattern such as '\''prod-*'\'')\: the command runs in each, concurrently, and prints one merged result]:NAME:_default' \
'--cluster=[The name of the kubeconfig cluster to use]:NAME:_default' \
'--user=[The name of the kubeconfig user to use]:NAME:_default' \
'-n+[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'--namespace=[The namespace scope (default\: the context'\''s namespace, else "default")]:NAMESPACE:_default' \
'-l+[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--selector=[Label selector, e.g. -l '\''team=db,tier!=test'\'']:SELECTOR:_default' \
'--request-timeout=[How long one request (with its retries) may take; 0 means no limit]:DURATION:_default' \
'-v+[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'--v=[Log level, like kubectl'\''s\: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)]:LEVEL:_default' \
'-o+[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'--output=[Output format\: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE]:FORMAT:_default' \
'(--context)--all-contexts[Run in every context of the kubeconfig (see --context)]' \
'-A[Look in every namespace]' \
'--all-namespaces[Look in every namespace]' \
'--no-headers[Don'\''t print table headers]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_kubectl-kuul__subcmd__completion__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-kuul-completion-help-command-$line[1]:"
        case $line[1] in
            (bash)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(zsh)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(fish)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(powershell)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(install)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_kubectl-kuul__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-kuul-help-command-$line[1]:"
        case $line[1] in
            (trigger)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(suspend-all)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(resume)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(reschedule-next-minute)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(prune)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(lastrun)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(label-pool)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(cost-report)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(history)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(logs)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(lint)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(forecast)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(dash)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(completion)
_arguments "${_arguments_options[@]}" : \
":: :_kubectl-kuul__subcmd__help__subcmd__completion_commands" \
"*::: :->completion" \
&& ret=0

    case $state in
    (completion)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-kuul-help-completion-command-$line[1]:"
        case $line[1] in
            (bash)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(zsh)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(fish)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(powershell)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(install)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
}

(( $+functions[_kubectl-kuul_commands] )) ||
_kubectl-kuul_commands() {
    local commands; commands=(
'trigger:Create a Job from a CronJob now, like \`kubectl create job --from=cronjob/NAME\`' \
'suspend-all:Suspend every CronJob in scope, saving each one'\''s previous state on the object' \
'resume:Restore the state \`suspend-all\` saved, or resume named CronJobs' \
'reschedule-next-minute:Make a CronJob fire at the next minute (by the cluster'\''s clock), saving its schedule' \
'prune:Delete finished Jobs and stray pods by age, result, kind of run and count' \
'lastrun:Show each CronJob'\''s last and next run and whether it is healthy' \
'last-run:Show each CronJob'\''s last and next run and whether it is healthy' \
'label-pool:Put nodes into pools and show which CronJobs each pool serves' \
'cost-report:Estimate what periodic jobs cost, per CronJob, namespace and pool' \
'history:Every retained run of CronJobs\: results, reasons, lateness and what changed' \
'logs:The logs of a CronJob'\''s latest, latest failed, Nth or every run, found for you' \
'lint:Catch periodic-job pitfalls in manifests (-f) or in the cluster, with file\:line' \
'forecast:When CronJobs will fire, how runs pile up per pool against capacity\: a heat map' \
'dash:A terminal UI\: live verdicts, history, logs, and the writes behind keys' \
'completion:Print shell completion scripts, or install kubectl'\''s completion hook for \`kubectl kuul\`' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubectl-kuul commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__completion_commands] )) ||
_kubectl-kuul__subcmd__completion_commands() {
    local commands; commands=(
'bash:Print the bash completion script for kubectl-kuul' \
'zsh:Print the zsh completion script for kubectl-kuul' \
'fish:Print the fish completion script for kubectl-kuul' \
'powershell:Print the PowerShell completion script for kubectl-kuul' \
'install:Install kubectl'\''s completion hook (kubectl_complete-kuul) next to the plugin on PATH' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubectl-kuul completion commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__completion__subcmd__bash_commands] )) ||
_kubectl-kuul__subcmd__completion__subcmd__bash_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul completion bash commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__completion__subcmd__fish_commands] )) ||
_kubectl-kuul__subcmd__completion__subcmd__fish_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul completion fish commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__completion__subcmd__help_commands] )) ||
_kubectl-kuul__subcmd__completion__subcmd__help_commands() {
    local commands; commands=(
'bash:Print the bash completion script for kubectl-kuul' \
'zsh:Print the zsh completion script for kubectl-kuul' \
'fish:Print the fish completion script for kubectl-kuul' \
'powershell:Print the PowerShell completion script for kubectl-kuul' \
'install:Install kubectl'\''s completion hook (kubectl_complete-kuul) next to the plugin on PATH' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubectl-kuul completion help commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__completion__subcmd__help__subcmd__bash_commands] )) ||
_kubectl-kuul__subcmd__completion__subcmd__help__subcmd__bash_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul completion help bash commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__completion__subcmd__help__subcmd__fish_commands] )) ||
_kubectl-kuul__subcmd__completion__subcmd__help__subcmd__fish_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul completion help fish commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__completion__subcmd__help__subcmd__help_commands] )) ||
_kubectl-kuul__subcmd__completion__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul completion help help commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__completion__subcmd__help__subcmd__install_commands] )) ||
_kubectl-kuul__subcmd__completion__subcmd__help__subcmd__install_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul completion help install commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__completion__subcmd__help__subcmd__powershell_commands] )) ||
_kubectl-kuul__subcmd__completion__subcmd__help__subcmd__powershell_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul completion help powershell commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__completion__subcmd__help__subcmd__zsh_commands] )) ||
_kubectl-kuul__subcmd__completion__subcmd__help__subcmd__zsh_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul completion help zsh commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__completion__subcmd__install_commands] )) ||
_kubectl-kuul__subcmd__completion__subcmd__install_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul completion install commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__completion__subcmd__powershell_commands] )) ||
_kubectl-kuul__subcmd__completion__subcmd__powershell_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul completion powershell commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__completion__subcmd__zsh_commands] )) ||
_kubectl-kuul__subcmd__completion__subcmd__zsh_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul completion zsh commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__cost-report_commands] )) ||
_kubectl-kuul__subcmd__cost-report_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul cost-report commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__dash_commands] )) ||
_kubectl-kuul__subcmd__dash_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul dash commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__forecast_commands] )) ||
_kubectl-kuul__subcmd__forecast_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul forecast commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help_commands] )) ||
_kubectl-kuul__subcmd__help_commands() {
    local commands; commands=(
'trigger:Create a Job from a CronJob now, like \`kubectl create job --from=cronjob/NAME\`' \
'suspend-all:Suspend every CronJob in scope, saving each one'\''s previous state on the object' \
'resume:Restore the state \`suspend-all\` saved, or resume named CronJobs' \
'reschedule-next-minute:Make a CronJob fire at the next minute (by the cluster'\''s clock), saving its schedule' \
'prune:Delete finished Jobs and stray pods by age, result, kind of run and count' \
'lastrun:Show each CronJob'\''s last and next run and whether it is healthy' \
'label-pool:Put nodes into pools and show which CronJobs each pool serves' \
'cost-report:Estimate what periodic jobs cost, per CronJob, namespace and pool' \
'history:Every retained run of CronJobs\: results, reasons, lateness and what changed' \
'logs:The logs of a CronJob'\''s latest, latest failed, Nth or every run, found for you' \
'lint:Catch periodic-job pitfalls in manifests (-f) or in the cluster, with file\:line' \
'forecast:When CronJobs will fire, how runs pile up per pool against capacity\: a heat map' \
'dash:A terminal UI\: live verdicts, history, logs, and the writes behind keys' \
'completion:Print shell completion scripts, or install kubectl'\''s completion hook for \`kubectl kuul\`' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubectl-kuul help commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__completion_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__completion_commands() {
    local commands; commands=(
'bash:Print the bash completion script for kubectl-kuul' \
'zsh:Print the zsh completion script for kubectl-kuul' \
'fish:Print the fish completion script for kubectl-kuul' \
'powershell:Print the PowerShell completion script for kubectl-kuul' \
'install:Install kubectl'\''s completion hook (kubectl_complete-kuul) next to the plugin on PATH' \
    )
    _describe -t commands 'kubectl-kuul help completion commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__completion__subcmd__bash_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__completion__subcmd__bash_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help completion bash commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__completion__subcmd__fish_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__completion__subcmd__fish_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help completion fish commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__completion__subcmd__install_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__completion__subcmd__install_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help completion install commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__completion__subcmd__powershell_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__completion__subcmd__powershell_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help completion powershell commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__completion__subcmd__zsh_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__completion__subcmd__zsh_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help completion zsh commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__cost-report_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__cost-report_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help cost-report commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__dash_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__dash_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help dash commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__forecast_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__forecast_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help forecast commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__help_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help help commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__history_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__history_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help history commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__label-pool_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__label-pool_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help label-pool commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__lastrun_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__lastrun_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help lastrun commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__lint_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__lint_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help lint commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__logs_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__logs_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help logs commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__prune_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__prune_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help prune commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__reschedule-next-minute_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__reschedule-next-minute_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help reschedule-next-minute commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__resume_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__resume_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help resume commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__suspend-all_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__suspend-all_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help suspend-all commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__help__subcmd__trigger_commands] )) ||
_kubectl-kuul__subcmd__help__subcmd__trigger_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul help trigger commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__history_commands] )) ||
_kubectl-kuul__subcmd__history_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul history commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__label-pool_commands] )) ||
_kubectl-kuul__subcmd__label-pool_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul label-pool commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__lastrun_commands] )) ||
_kubectl-kuul__subcmd__lastrun_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul lastrun commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__lint_commands] )) ||
_kubectl-kuul__subcmd__lint_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul lint commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__logs_commands] )) ||
_kubectl-kuul__subcmd__logs_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul logs commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__prune_commands] )) ||
_kubectl-kuul__subcmd__prune_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul prune commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__reschedule-next-minute_commands] )) ||
_kubectl-kuul__subcmd__reschedule-next-minute_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul reschedule-next-minute commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__resume_commands] )) ||
_kubectl-kuul__subcmd__resume_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul resume commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__suspend-all_commands] )) ||
_kubectl-kuul__subcmd__suspend-all_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul suspend-all commands' commands "$@"
}
(( $+functions[_kubectl-kuul__subcmd__trigger_commands] )) ||
_kubectl-kuul__subcmd__trigger_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-kuul trigger commands' commands "$@"
}

if [ "$funcstack[1]" = "_kubectl-kuul" ]; then
    _kubectl-kuul "$@"
else
    compdef _kubectl-kuul kubectl-kuul
fi
