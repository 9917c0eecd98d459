# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubectl_kuul_global_optspecs
    string join \n kubeconfig= context= all-contexts cluster= user= n/namespace= A/all-namespaces l/selector= request-timeout= v/v= o/output= no-headers h/help
end

function __fish_kubectl_kuul_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubectl_kuul_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubectl_kuul_using_subcommand
    set -l cmd (__fish_kubectl_kuul_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -s h -l help -d 'Print help'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -f -a "trigger" -d 'Create a Job from a CronJob now, like `kubectl create job --from=cronjob/NAME`'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -f -a "suspend-all" -d 'Suspend every CronJob in scope, saving each one\'s previous state on the object'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -f -a "resume" -d 'Restore the state `suspend-all` saved, or resume named CronJobs'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -f -a "reschedule-next-minute" -d 'Make a CronJob fire at the next minute (by the cluster\'s clock), saving its schedule'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -f -a "prune" -d 'Delete finished Jobs and stray pods by age, result, kind of run and count'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -f -a "lastrun" -d 'Show each CronJob\'s last and next run and whether it is healthy'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -f -a "last-run" -d 'Show each CronJob\'s last and next run and whether it is healthy'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -f -a "label-pool" -d 'Put nodes into pools and show which CronJobs each pool serves'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -f -a "cost-report" -d 'Estimate what periodic jobs cost, per CronJob, namespace and pool'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -f -a "history" -d 'Every retained run of CronJobs: results, reasons, lateness and what changed'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -f -a "logs" -d 'The logs of a CronJob\'s latest, latest failed, Nth or every run, found for you'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -f -a "lint" -d 'Catch periodic-job pitfalls in manifests (-f) or in the cluster, with file:line'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -f -a "forecast" -d 'When CronJobs will fire, how runs pile up per pool against capacity: a heat map'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -f -a "dash" -d 'A terminal UI: live verdicts, history, logs, and the writes behind keys'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -f -a "completion" -d 'Print shell completion scripts, or install kubectl\'s completion hook for `kubectl kuul`'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -l name -d 'Name of the Job (default: <cronjob>-manual-<random>); only with one CronJob' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -s e -l env -d 'Set an environment variable in every container for this run (repeatable)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -l timeout -d 'Give up waiting after this long (e.g. 10m; 0: no limit); the Job keeps running. Default: no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -l dry-run -d 'Only show what would change (client), or let the server validate it without storing anything (server)' -r -f -a "none\t'Make the changes'
client\t'Only show what would be sent'
server\t'Send with `dryRun=All`: the server validates, nothing is stored'"
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -s w -l wait -d 'Wait until the run completes or fails, and exit 0 or 1 with its result'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -s f -l logs -l follow -d 'Stream the pod\'s log while it runs (and the next pod\'s on a retry); implies --wait'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -l force -d 'Run even when concurrencyPolicy is Forbid and a run is active'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -s y -l yes -d 'Don\'t ask before triggering several CronJobs selected with -l'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand trigger" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -l reason -d 'Why, recorded on each CronJob as kuul.dev/suspend-reason' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -l save-to -d 'Also write the saved state to FILE as JSON (for `resume --from FILE`)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -l dry-run -d 'Only show what would change (client), or let the server validate it without storing anything (server)' -r -f -a "none\t'Make the changes'
client\t'Only show what would be sent'
server\t'Send with `dryRun=All`: the server validates, nothing is stored'"
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -l concurrency -d 'How many writes to have in flight at once' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -l timeout -d 'Give up starting new writes (and retrying) after this long; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -l wait -d 'Then wait until no Job of these CronJobs is running, up to --timeout (0: no limit); exit 5 if some still run then'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -l delete-active-jobs -d 'Then delete the Jobs of these CronJobs that are still running (with their pods)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand suspend-all" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand resume" -l from -d 'Restore the CronJobs listed in a `suspend-all --save-to` snapshot' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand resume" -l dry-run -d 'Only show what would change (client), or let the server validate it without storing anything (server)' -r -f -a "none\t'Make the changes'
client\t'Only show what would be sent'
server\t'Send with `dryRun=All`: the server validates, nothing is stored'"
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand resume" -l concurrency -d 'How many writes to have in flight at once' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand resume" -l timeout -d 'Give up starting new writes (and retrying) after this long; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand resume" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand resume" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand resume" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand resume" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand resume" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand resume" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand resume" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand resume" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand resume" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand resume" -l force -d 'With --from: also restore CronJobs changed since the snapshot was taken (suspended again by a later suspend-all, or by hand after a resume), which are otherwise left alone'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand resume" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand resume" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand resume" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand resume" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -l min-lead -d 'Skip to the minute after when fewer than this remain before the next one' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -l timeout -d 'With --wait: give up after this long (0: no limit; default: 2 minutes past the fire time); the schedule is restored either way' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -l dry-run -d 'Only show what would change (client), or let the server validate it without storing anything (server)' -r -f -a "none\t'Make the changes'
client\t'Only show what would be sent'
server\t'Send with `dryRun=All`: the server validates, nothing is stored'"
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -l restore -d 'Put the saved schedule back (and suspend again if --unsuspend lifted it)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -s w -l wait -d 'Wait until the controller has created the run, then restore the schedule'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -s f -l logs -l follow -d 'Follow the run after the restore (progress, logs), exit 0 or 1 with its result; implies --wait'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -l unsuspend -d 'Lift suspend for this run; restoring suspends the CronJob again'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand reschedule-next-minute" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -l older-than -d 'Only Jobs (and pods) that finished longer ago than this, e.g. 36h, 7d' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -l keep-last -d 'Keep the newest N finished Jobs of each CronJob; prune the rest' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -l cronjob -d 'Only Jobs of this CronJob (by owner reference); narrows the other Job flags' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -l dry-run -d 'Only show what would change (client), or let the server validate it without storing anything (server)' -r -f -a "none\t'Make the changes'
client\t'Only show what would be sent'
server\t'Send with `dryRun=All`: the server validates, nothing is stored'"
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -l concurrency -d 'How many writes to have in flight at once' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -l timeout -d 'Give up starting new writes (and retrying) after this long; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -l succeeded -d 'Only Jobs that succeeded'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -l failed -d 'Only Jobs that failed'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -l manual -d 'Only manual runs (kubectl\'s cronjob.kubernetes.io/instantiate=manual, or k9s\' -manual- names)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -l orphans -d 'Only Jobs whose CronJob no longer exists'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -l pods -d 'Also delete Succeeded/Failed pods that no live Job owns'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -s y -l yes -d 'Delete without asking'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -l fail-on -d 'With --check: the problems that fail it, comma-separated: BROKEN, SUSPENDED, STUCK, MISSED, FAILING, RUNNING-LONG, PENDING, NEVER-RAN, OK, LATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -l max-late -d 'A scheduled run that starts later than this after its scheduled time is LATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -l pending-for -d 'A run whose pod has been Pending (or whose Job could not create one) longer than this is STUCK' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -l check -d 'Exit with status 4 when any CronJob has a problem `--fail-on` names (default BROKEN, MISSED, FAILING, STUCK, and LATE with --max-late), printing one line per problem on stderr'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -s w -l watch -d 'Keep the table current from watches: redrawn in place on a terminal, one line per change otherwise (Ctrl-C ends it)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -l allow-empty -d 'With --check: pass when there is no CronJob to check (by default an empty scope fails with status 4: a monitor that checked nothing must not report healthy)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lastrun" -s h -l help -d 'Print help'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -l fail-on -d 'With --check: the problems that fail it, comma-separated: BROKEN, SUSPENDED, STUCK, MISSED, FAILING, RUNNING-LONG, PENDING, NEVER-RAN, OK, LATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -l max-late -d 'A scheduled run that starts later than this after its scheduled time is LATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -l pending-for -d 'A run whose pod has been Pending (or whose Job could not create one) longer than this is STUCK' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -l check -d 'Exit with status 4 when any CronJob has a problem `--fail-on` names (default BROKEN, MISSED, FAILING, STUCK, and LATE with --max-late), printing one line per problem on stderr'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -s w -l watch -d 'Keep the table current from watches: redrawn in place on a terminal, one line per change otherwise (Ctrl-C ends it)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -l allow-empty -d 'With --check: pass when there is no CronJob to check (by default an empty scope fails with status 4: a monitor that checked nothing must not report healthy)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand last-run" -s h -l help -d 'Print help'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -l key -d 'The node label that names the pool' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -l dry-run -d 'Only show what would change (client), or let the server validate it without storing anything (server)' -r -f -a "none\t'Make the changes'
client\t'Only show what would be sent'
server\t'Send with `dryRun=All`: the server validates, nothing is stored'"
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -l concurrency -d 'How many writes to have in flight at once' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -l timeout -d 'Give up starting new writes (and retrying) after this long; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -l overwrite -d 'Move nodes that are in another pool (as kubectl label --overwrite)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -l remove -d 'Take the nodes out of POOL (nodes in other pools are left alone)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -l list -d 'List pools (the default when no POOL is given); with POOL, only that pool'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -l check -d 'With the listing: exit 4 when a CronJob (not suspended) cannot be placed on any node'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand label-pool" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -l by -d 'Group the table by' -r -f -a "cronjob\t'One row per CronJob'
namespace\t'One row per namespace'
pool\t'One row per node pool, with the pool\'s node cost and utilisation'"
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -l window -d 'Runs that started this long ago or later count as observed (Go duration, or days: 7d)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -l cpu-price -d 'Price per vCPU-hour' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -l memory-price -d 'Price per GiB-hour of memory' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -l gpu-price -d 'Price per GPU-hour (nvidia.com/gpu)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -l prices -d 'Price file (YAML or JSON): per-pool and per-instance-type prices or node prices' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -l pool-key -d 'Node label whose value names a node\'s pool' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand cost-report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand history" -l limit -d 'Show at most N runs per CronJob (the newest)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand history" -l since -d 'Only runs (and events) newer than this, e.g. 2h, 7d' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand history" -l diff -d 'Show the whole pod template difference between two runs (Job names, or -N: -1 is the newest)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand history" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand history" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand history" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand history" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand history" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand history" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand history" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand history" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand history" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand history" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand history" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand history" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand history" -s h -l help -d 'Print help'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l run -d 'Which run: a Job name, or -N (-1 is the latest, -2 the one before)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l timeout -d 'With --next: give up waiting after this long' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -s c -l container -d 'The container (default: kubectl\'s choice, the default-container annotation or the first)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l max-log-requests -d 'Log streams followed at once (-f --all-containers), and log requests in flight' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l tail -d 'Lines of recent log to show per container; -1 shows all' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l since -d 'Only lines newer than this, e.g. 5s, 2m, 3h' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l failed -d 'The latest failed run'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l succeeded -d 'The latest successful run'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l all-runs -d 'Every retained run, oldest first, each under a header line'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l prefix -d 'Prefix each line with its pod and container ([pod/NAME/CONTAINER]) instead of headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -s f -l follow -d 'Follow the run\'s log while it is active'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l next -d 'Wait for the CronJob\'s next run (scheduled or manual) to start, then follow it'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l all-containers -d 'Every container of each pod, init containers first'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -s p -l previous -d 'The log of the previous instance of a restarted container'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l timestamps -d 'Prefix each line with its RFC 3339 timestamp'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand logs" -s h -l help -d 'Print help'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lint" -s f -l filename -d 'Manifest file, directory or - for stdin (repeatable); YAML streams, JSON, kind: List' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lint" -l fail-on -d 'Exit 4 when a finding is at least this severe: info, warning, error or never' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lint" -l config -d 'Settings file (default: the nearest .kuul-lint.yaml from the current directory up)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lint" -l explain -d 'Print a rule\'s page (or, with no RULE, list every rule) and exit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lint" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lint" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lint" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lint" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lint" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lint" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lint" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lint" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lint" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lint" -s R -l recursive -d 'Process directories given with -f recursively'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lint" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lint" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lint" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand lint" -s h -l help -d 'Print help'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l window -d 'How far ahead to look (Go duration, or days: 7d; at most 31d)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l from -d 'Start of the window (RFC 3339; default: the API server\'s now)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l assume-duration -d 'Every run lasts this long, instead of the median of its retained runs' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l pool -d 'Only this pool (as label-pool names pools)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l pool-key -d 'Node label whose value names a node\'s pool' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l autoscaled -d 'Pools that scale up on demand: --suggest says when their capacity must be ready' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l prescale-lead -d 'How long an autoscaled pool takes to add a node' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l top -d 'Peaks in the table' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l heatmap -d 'Heat map with the table output' -r -f -a "auto\t'On a terminal'
always\t'Always'
never\t'Never'"
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l svg -d 'Also write the chart as an SVG image' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l html -d 'Also write the chart and the peaks as an HTML page' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l include-suspended -d 'Forecast suspended CronJobs as if resumed'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l suggest -d 'Propose new minutes for the CronJobs that cause peaks, with the peak before and after'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand forecast" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand dash" -l pending-for -d 'A run whose pod has been Pending (or whose Job could not create one) longer than this is STUCK (as `lastrun --pending-for`)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand dash" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand dash" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand dash" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand dash" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand dash" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand dash" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand dash" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand dash" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand dash" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand dash" -l read-only -d 'Never write: hide the trigger, suspend, resume, reschedule and prune keys (also automatic when RBAC refuses them)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand dash" -l mouse -d 'Let the mouse scroll and pick rows (it then takes over the terminal\'s text selection)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand dash" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand dash" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand dash" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand dash" -s h -l help -d 'Print help'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -s h -l help -d 'Print help'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -f -a "bash" -d 'Print the bash completion script for kubectl-kuul'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -f -a "zsh" -d 'Print the zsh completion script for kubectl-kuul'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -f -a "fish" -d 'Print the fish completion script for kubectl-kuul'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -f -a "powershell" -d 'Print the PowerShell completion script for kubectl-kuul'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -f -a "install" -d 'Install kubectl\'s completion hook (kubectl_complete-kuul) next to the plugin on PATH'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from bash" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from bash" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from bash" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from bash" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from bash" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from bash" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from bash" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from bash" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from bash" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from bash" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from bash" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from bash" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from bash" -s h -l help -d 'Print help'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from zsh" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from zsh" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from zsh" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from zsh" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from zsh" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from zsh" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from zsh" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from zsh" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from zsh" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from zsh" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from zsh" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from zsh" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from zsh" -s h -l help -d 'Print help'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from fish" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from fish" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from fish" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from fish" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from fish" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from fish" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from fish" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from fish" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from fish" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from fish" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from fish" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from fish" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from fish" -s h -l help -d 'Print help'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from powershell" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from powershell" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from powershell" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from powershell" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from powershell" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from powershell" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from powershell" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from powershell" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from powershell" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from powershell" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from powershell" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from powershell" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from powershell" -s h -l help -d 'Print help'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from install" -l dir -d 'Directory to write the hooks to (default: the PATH directory holding kubectl-kuul)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from install" -l kubeconfig -d 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from install" -l context -d 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as \'prod-*\'): the command runs in each, concurrently, and prints one merged result' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from install" -l cluster -d 'The name of the kubeconfig cluster to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from install" -l user -d 'The name of the kubeconfig user to use' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from install" -s n -l namespace -d 'The namespace scope (default: the context\'s namespace, else "default")' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from install" -s l -l selector -d 'Label selector, e.g. -l \'team=db,tier!=test\'' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from install" -l request-timeout -d 'How long one request (with its retries) may take; 0 means no limit' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from install" -s v -l v -d 'Log level, like kubectl\'s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from install" -s o -l output -d 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE' -r
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from install" -l all-contexts -d 'Run in every context of the kubeconfig (see --context)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from install" -s A -l all-namespaces -d 'Look in every namespace'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from install" -l no-headers -d 'Don\'t print table headers'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "bash" -d 'Print the bash completion script for kubectl-kuul'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "zsh" -d 'Print the zsh completion script for kubectl-kuul'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "fish" -d 'Print the fish completion script for kubectl-kuul'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "powershell" -d 'Print the PowerShell completion script for kubectl-kuul'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "install" -d 'Install kubectl\'s completion hook (kubectl_complete-kuul) next to the plugin on PATH'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and not __fish_seen_subcommand_from trigger suspend-all resume reschedule-next-minute prune lastrun label-pool cost-report history logs lint forecast dash completion help" -f -a "trigger" -d 'Create a Job from a CronJob now, like `kubectl create job --from=cronjob/NAME`'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and not __fish_seen_subcommand_from trigger suspend-all resume reschedule-next-minute prune lastrun label-pool cost-report history logs lint forecast dash completion help" -f -a "suspend-all" -d 'Suspend every CronJob in scope, saving each one\'s previous state on the object'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and not __fish_seen_subcommand_from trigger suspend-all resume reschedule-next-minute prune lastrun label-pool cost-report history logs lint forecast dash completion help" -f -a "resume" -d 'Restore the state `suspend-all` saved, or resume named CronJobs'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and not __fish_seen_subcommand_from trigger suspend-all resume reschedule-next-minute prune lastrun label-pool cost-report history logs lint forecast dash completion help" -f -a "reschedule-next-minute" -d 'Make a CronJob fire at the next minute (by the cluster\'s clock), saving its schedule'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and not __fish_seen_subcommand_from trigger suspend-all resume reschedule-next-minute prune lastrun label-pool cost-report history logs lint forecast dash completion help" -f -a "prune" -d 'Delete finished Jobs and stray pods by age, result, kind of run and count'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and not __fish_seen_subcommand_from trigger suspend-all resume reschedule-next-minute prune lastrun label-pool cost-report history logs lint forecast dash completion help" -f -a "lastrun" -d 'Show each CronJob\'s last and next run and whether it is healthy'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and not __fish_seen_subcommand_from trigger suspend-all resume reschedule-next-minute prune lastrun label-pool cost-report history logs lint forecast dash completion help" -f -a "label-pool" -d 'Put nodes into pools and show which CronJobs each pool serves'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and not __fish_seen_subcommand_from trigger suspend-all resume reschedule-next-minute prune lastrun label-pool cost-report history logs lint forecast dash completion help" -f -a "cost-report" -d 'Estimate what periodic jobs cost, per CronJob, namespace and pool'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and not __fish_seen_subcommand_from trigger suspend-all resume reschedule-next-minute prune lastrun label-pool cost-report history logs lint forecast dash completion help" -f -a "history" -d 'Every retained run of CronJobs: results, reasons, lateness and what changed'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and not __fish_seen_subcommand_from trigger suspend-all resume reschedule-next-minute prune lastrun label-pool cost-report history logs lint forecast dash completion help" -f -a "logs" -d 'The logs of a CronJob\'s latest, latest failed, Nth or every run, found for you'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and not __fish_seen_subcommand_from trigger suspend-all resume reschedule-next-minute prune lastrun label-pool cost-report history logs lint forecast dash completion help" -f -a "lint" -d 'Catch periodic-job pitfalls in manifests (-f) or in the cluster, with file:line'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and not __fish_seen_subcommand_from trigger suspend-all resume reschedule-next-minute prune lastrun label-pool cost-report history logs lint forecast dash completion help" -f -a "forecast" -d 'When CronJobs will fire, how runs pile up per pool against capacity: a heat map'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and not __fish_seen_subcommand_from trigger suspend-all resume reschedule-next-minute prune lastrun label-pool cost-report history logs lint forecast dash completion help" -f -a "dash" -d 'A terminal UI: live verdicts, history, logs, and the writes behind keys'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and not __fish_seen_subcommand_from trigger suspend-all resume reschedule-next-minute prune lastrun label-pool cost-report history logs lint forecast dash completion help" -f -a "completion" -d 'Print shell completion scripts, or install kubectl\'s completion hook for `kubectl kuul`'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and not __fish_seen_subcommand_from trigger suspend-all resume reschedule-next-minute prune lastrun label-pool cost-report history logs lint forecast dash completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "bash" -d 'Print the bash completion script for kubectl-kuul'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "zsh" -d 'Print the zsh completion script for kubectl-kuul'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "fish" -d 'Print the fish completion script for kubectl-kuul'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "powershell" -d 'Print the PowerShell completion script for kubectl-kuul'
complete -c kubectl-kuul -n "__fish_kubectl_kuul_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "install" -d 'Install kubectl\'s completion hook (kubectl_complete-kuul) next to the plugin on PATH'
