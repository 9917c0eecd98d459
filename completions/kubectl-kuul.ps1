
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kubectl-kuul' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kubectl-kuul'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kubectl-kuul' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('trigger', 'trigger', [CompletionResultType]::ParameterValue, 'Create a Job from a CronJob now, like `kubectl create job --from=cronjob/NAME`')
            [CompletionResult]::new('suspend-all', 'suspend-all', [CompletionResultType]::ParameterValue, 'Suspend every CronJob in scope, saving each one''s previous state on the object')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Restore the state `suspend-all` saved, or resume named CronJobs')
            [CompletionResult]::new('reschedule-next-minute', 'reschedule-next-minute', [CompletionResultType]::ParameterValue, 'Make a CronJob fire at the next minute (by the cluster''s clock), saving its schedule')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete finished Jobs and stray pods by age, result, kind of run and count')
            [CompletionResult]::new('lastrun', 'lastrun', [CompletionResultType]::ParameterValue, 'Show each CronJob''s last and next run and whether it is healthy')
            [CompletionResult]::new('last-run', 'last-run', [CompletionResultType]::ParameterValue, 'Show each CronJob''s last and next run and whether it is healthy')
            [CompletionResult]::new('label-pool', 'label-pool', [CompletionResultType]::ParameterValue, 'Put nodes into pools and show which CronJobs each pool serves')
            [CompletionResult]::new('cost-report', 'cost-report', [CompletionResultType]::ParameterValue, 'Estimate what periodic jobs cost, per CronJob, namespace and pool')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Every retained run of CronJobs: results, reasons, lateness and what changed')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'The logs of a CronJob''s latest, latest failed, Nth or every run, found for you')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Catch periodic-job pitfalls in manifests (-f) or in the cluster, with file:line')
            [CompletionResult]::new('forecast', 'forecast', [CompletionResultType]::ParameterValue, 'When CronJobs will fire, how runs pile up per pool against capacity: a heat map')
            [CompletionResult]::new('dash', 'dash', [CompletionResultType]::ParameterValue, 'A terminal UI: live verdicts, history, logs, and the writes behind keys')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print shell completion scripts, or install kubectl''s completion hook for `kubectl kuul`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-kuul;trigger' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name of the Job (default: <cronjob>-manual-<random>); only with one CronJob')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Set an environment variable in every container for this run (repeatable)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Set an environment variable in every container for this run (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (e.g. 10m; 0: no limit); the Job keeps running. Default: no limit')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only show what would change (client), or let the server validate it without storing anything (server)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Wait until the run completes or fails, and exit 0 or 1 with its result')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the run completes or fails, and exit 0 or 1 with its result')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Stream the pod''s log while it runs (and the next pod''s on a retry); implies --wait')
            [CompletionResult]::new('--logs', '--logs', [CompletionResultType]::ParameterName, 'Stream the pod''s log while it runs (and the next pod''s on a retry); implies --wait')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Stream the pod''s log while it runs (and the next pod''s on a retry); implies --wait')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Run even when concurrencyPolicy is Forbid and a run is active')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Don''t ask before triggering several CronJobs selected with -l')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Don''t ask before triggering several CronJobs selected with -l')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-kuul;suspend-all' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why, recorded on each CronJob as kuul.dev/suspend-reason')
            [CompletionResult]::new('--save-to', '--save-to', [CompletionResultType]::ParameterName, 'Also write the saved state to FILE as JSON (for `resume --from FILE`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only show what would change (client), or let the server validate it without storing anything (server)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many writes to have in flight at once')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up starting new writes (and retrying) after this long; 0 means no limit')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Then wait until no Job of these CronJobs is running, up to --timeout (0: no limit); exit 5 if some still run then')
            [CompletionResult]::new('--delete-active-jobs', '--delete-active-jobs', [CompletionResultType]::ParameterName, 'Then delete the Jobs of these CronJobs that are still running (with their pods)')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-kuul;resume' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Restore the CronJobs listed in a `suspend-all --save-to` snapshot')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only show what would change (client), or let the server validate it without storing anything (server)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many writes to have in flight at once')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up starting new writes (and retrying) after this long; 0 means no limit')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'With --from: also restore CronJobs changed since the snapshot was taken (suspended again by a later suspend-all, or by hand after a resume), which are otherwise left alone')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-kuul;reschedule-next-minute' {
            [CompletionResult]::new('--min-lead', '--min-lead', [CompletionResultType]::ParameterName, 'Skip to the minute after when fewer than this remain before the next one')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --wait: give up after this long (0: no limit; default: 2 minutes past the fire time); the schedule is restored either way')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only show what would change (client), or let the server validate it without storing anything (server)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--restore', '--restore', [CompletionResultType]::ParameterName, 'Put the saved schedule back (and suspend again if --unsuspend lifted it)')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Wait until the controller has created the run, then restore the schedule')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the controller has created the run, then restore the schedule')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Follow the run after the restore (progress, logs), exit 0 or 1 with its result; implies --wait')
            [CompletionResult]::new('--logs', '--logs', [CompletionResultType]::ParameterName, 'Follow the run after the restore (progress, logs), exit 0 or 1 with its result; implies --wait')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Follow the run after the restore (progress, logs), exit 0 or 1 with its result; implies --wait')
            [CompletionResult]::new('--unsuspend', '--unsuspend', [CompletionResultType]::ParameterName, 'Lift suspend for this run; restoring suspends the CronJob again')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-kuul;prune' {
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Only Jobs (and pods) that finished longer ago than this, e.g. 36h, 7d')
            [CompletionResult]::new('--keep-last', '--keep-last', [CompletionResultType]::ParameterName, 'Keep the newest N finished Jobs of each CronJob; prune the rest')
            [CompletionResult]::new('--cronjob', '--cronjob', [CompletionResultType]::ParameterName, 'Only Jobs of this CronJob (by owner reference); narrows the other Job flags')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only show what would change (client), or let the server validate it without storing anything (server)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many writes to have in flight at once')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up starting new writes (and retrying) after this long; 0 means no limit')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--succeeded', '--succeeded', [CompletionResultType]::ParameterName, 'Only Jobs that succeeded')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only Jobs that failed')
            [CompletionResult]::new('--manual', '--manual', [CompletionResultType]::ParameterName, 'Only manual runs (kubectl''s cronjob.kubernetes.io/instantiate=manual, or k9s'' -manual- names)')
            [CompletionResult]::new('--orphans', '--orphans', [CompletionResultType]::ParameterName, 'Only Jobs whose CronJob no longer exists')
            [CompletionResult]::new('--pods', '--pods', [CompletionResultType]::ParameterName, 'Also delete Succeeded/Failed pods that no live Job owns')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Delete without asking')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Delete without asking')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-kuul;lastrun' {
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'With --check: the problems that fail it, comma-separated: BROKEN, SUSPENDED, STUCK, MISSED, FAILING, RUNNING-LONG, PENDING, NEVER-RAN, OK, LATE')
            [CompletionResult]::new('--max-late', '--max-late', [CompletionResultType]::ParameterName, 'A scheduled run that starts later than this after its scheduled time is LATE')
            [CompletionResult]::new('--pending-for', '--pending-for', [CompletionResultType]::ParameterName, 'A run whose pod has been Pending (or whose Job could not create one) longer than this is STUCK')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Exit with status 4 when any CronJob has a problem `--fail-on` names (default BROKEN, MISSED, FAILING, STUCK, and LATE with --max-late), printing one line per problem on stderr')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Keep the table current from watches: redrawn in place on a terminal, one line per change otherwise (Ctrl-C ends it)')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Keep the table current from watches: redrawn in place on a terminal, one line per change otherwise (Ctrl-C ends it)')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'With --check: pass when there is no CronJob to check (by default an empty scope fails with status 4: a monitor that checked nothing must not report healthy)')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-kuul;last-run' {
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'With --check: the problems that fail it, comma-separated: BROKEN, SUSPENDED, STUCK, MISSED, FAILING, RUNNING-LONG, PENDING, NEVER-RAN, OK, LATE')
            [CompletionResult]::new('--max-late', '--max-late', [CompletionResultType]::ParameterName, 'A scheduled run that starts later than this after its scheduled time is LATE')
            [CompletionResult]::new('--pending-for', '--pending-for', [CompletionResultType]::ParameterName, 'A run whose pod has been Pending (or whose Job could not create one) longer than this is STUCK')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Exit with status 4 when any CronJob has a problem `--fail-on` names (default BROKEN, MISSED, FAILING, STUCK, and LATE with --max-late), printing one line per problem on stderr')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Keep the table current from watches: redrawn in place on a terminal, one line per change otherwise (Ctrl-C ends it)')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Keep the table current from watches: redrawn in place on a terminal, one line per change otherwise (Ctrl-C ends it)')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'With --check: pass when there is no CronJob to check (by default an empty scope fails with status 4: a monitor that checked nothing must not report healthy)')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-kuul;label-pool' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The node label that names the pool')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only show what would change (client), or let the server validate it without storing anything (server)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many writes to have in flight at once')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up starting new writes (and retrying) after this long; 0 means no limit')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--overwrite', '--overwrite', [CompletionResultType]::ParameterName, 'Move nodes that are in another pool (as kubectl label --overwrite)')
            [CompletionResult]::new('--remove', '--remove', [CompletionResultType]::ParameterName, 'Take the nodes out of POOL (nodes in other pools are left alone)')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List pools (the default when no POOL is given); with POOL, only that pool')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'With the listing: exit 4 when a CronJob (not suspended) cannot be placed on any node')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-kuul;cost-report' {
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Group the table by')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Runs that started this long ago or later count as observed (Go duration, or days: 7d)')
            [CompletionResult]::new('--cpu-price', '--cpu-price', [CompletionResultType]::ParameterName, 'Price per vCPU-hour')
            [CompletionResult]::new('--memory-price', '--memory-price', [CompletionResultType]::ParameterName, 'Price per GiB-hour of memory')
            [CompletionResult]::new('--gpu-price', '--gpu-price', [CompletionResultType]::ParameterName, 'Price per GPU-hour (nvidia.com/gpu)')
            [CompletionResult]::new('--prices', '--prices', [CompletionResultType]::ParameterName, 'Price file (YAML or JSON): per-pool and per-instance-type prices or node prices')
            [CompletionResult]::new('--pool-key', '--pool-key', [CompletionResultType]::ParameterName, 'Node label whose value names a node''s pool')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-kuul;history' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most N runs per CronJob (the newest)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only runs (and events) newer than this, e.g. 2h, 7d')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Show the whole pod template difference between two runs (Job names, or -N: -1 is the newest)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-kuul;logs' {
            [CompletionResult]::new('--run', '--run', [CompletionResultType]::ParameterName, 'Which run: a Job name, or -N (-1 is the latest, -2 the one before)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --next: give up waiting after this long')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The container (default: kubectl''s choice, the default-container annotation or the first)')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'The container (default: kubectl''s choice, the default-container annotation or the first)')
            [CompletionResult]::new('--max-log-requests', '--max-log-requests', [CompletionResultType]::ParameterName, 'Log streams followed at once (-f --all-containers), and log requests in flight')
            [CompletionResult]::new('--tail', '--tail', [CompletionResultType]::ParameterName, 'Lines of recent log to show per container; -1 shows all')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only lines newer than this, e.g. 5s, 2m, 3h')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'The latest failed run')
            [CompletionResult]::new('--succeeded', '--succeeded', [CompletionResultType]::ParameterName, 'The latest successful run')
            [CompletionResult]::new('--all-runs', '--all-runs', [CompletionResultType]::ParameterName, 'Every retained run, oldest first, each under a header line')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Prefix each line with its pod and container ([pod/NAME/CONTAINER]) instead of headers')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Follow the run''s log while it is active')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Follow the run''s log while it is active')
            [CompletionResult]::new('--next', '--next', [CompletionResultType]::ParameterName, 'Wait for the CronJob''s next run (scheduled or manual) to start, then follow it')
            [CompletionResult]::new('--all-containers', '--all-containers', [CompletionResultType]::ParameterName, 'Every container of each pod, init containers first')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The log of the previous instance of a restarted container')
            [CompletionResult]::new('--previous', '--previous', [CompletionResultType]::ParameterName, 'The log of the previous instance of a restarted container')
            [CompletionResult]::new('--timestamps', '--timestamps', [CompletionResultType]::ParameterName, 'Prefix each line with its RFC 3339 timestamp')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-kuul;lint' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifest file, directory or - for stdin (repeatable); YAML streams, JSON, kind: List')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifest file, directory or - for stdin (repeatable); YAML streams, JSON, kind: List')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 4 when a finding is at least this severe: info, warning, error or never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Settings file (default: the nearest .kuul-lint.yaml from the current directory up)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print a rule''s page (or, with no RULE, list every rule) and exit')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'Process directories given with -f recursively')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Process directories given with -f recursively')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-kuul;forecast' {
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'How far ahead to look (Go duration, or days: 7d; at most 31d)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Start of the window (RFC 3339; default: the API server''s now)')
            [CompletionResult]::new('--assume-duration', '--assume-duration', [CompletionResultType]::ParameterName, 'Every run lasts this long, instead of the median of its retained runs')
            [CompletionResult]::new('--pool', '--pool', [CompletionResultType]::ParameterName, 'Only this pool (as label-pool names pools)')
            [CompletionResult]::new('--pool-key', '--pool-key', [CompletionResultType]::ParameterName, 'Node label whose value names a node''s pool')
            [CompletionResult]::new('--autoscaled', '--autoscaled', [CompletionResultType]::ParameterName, 'Pools that scale up on demand: --suggest says when their capacity must be ready')
            [CompletionResult]::new('--prescale-lead', '--prescale-lead', [CompletionResultType]::ParameterName, 'How long an autoscaled pool takes to add a node')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Peaks in the table')
            [CompletionResult]::new('--heatmap', '--heatmap', [CompletionResultType]::ParameterName, 'Heat map with the table output')
            [CompletionResult]::new('--svg', '--svg', [CompletionResultType]::ParameterName, 'Also write the chart as an SVG image')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Also write the chart and the peaks as an HTML page')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--include-suspended', '--include-suspended', [CompletionResultType]::ParameterName, 'Forecast suspended CronJobs as if resumed')
            [CompletionResult]::new('--suggest', '--suggest', [CompletionResultType]::ParameterName, 'Propose new minutes for the CronJobs that cause peaks, with the peak before and after')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-kuul;dash' {
            [CompletionResult]::new('--pending-for', '--pending-for', [CompletionResultType]::ParameterName, 'A run whose pod has been Pending (or whose Job could not create one) longer than this is STUCK (as `lastrun --pending-for`)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Never write: hide the trigger, suspend, resume, reschedule and prune keys (also automatic when RBAC refuses them)')
            [CompletionResult]::new('--mouse', '--mouse', [CompletionResultType]::ParameterName, 'Let the mouse scroll and pick rows (it then takes over the terminal''s text selection)')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-kuul;completion' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('bash', 'bash', [CompletionResultType]::ParameterValue, 'Print the bash completion script for kubectl-kuul')
            [CompletionResult]::new('zsh', 'zsh', [CompletionResultType]::ParameterValue, 'Print the zsh completion script for kubectl-kuul')
            [CompletionResult]::new('fish', 'fish', [CompletionResultType]::ParameterValue, 'Print the fish completion script for kubectl-kuul')
            [CompletionResult]::new('powershell', 'powershell', [CompletionResultType]::ParameterValue, 'Print the PowerShell completion script for kubectl-kuul')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install kubectl''s completion hook (kubectl_complete-kuul) next to the plugin on PATH')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-kuul;completion;bash' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-kuul;completion;zsh' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-kuul;completion;fish' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-kuul;completion;powershell' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-kuul;completion;install' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory to write the hooks to (default: the PATH directory holding kubectl-kuul)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use. Several (a,b, repeated, or a pattern such as ''prod-*''): the command runs in each, concurrently, and prints one merged result')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The name of the kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The name of the kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label selector, e.g. -l ''team=db,tier!=test''')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (with its retries) may take; 0 means no limit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level, like kubectl''s: 4 retries, 6 each request, 7 request headers, 8 bodies (credentials are always masked)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Run in every context of the kubeconfig (see --context)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Look in every namespace')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Don''t print table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-kuul;completion;help' {
            [CompletionResult]::new('bash', 'bash', [CompletionResultType]::ParameterValue, 'Print the bash completion script for kubectl-kuul')
            [CompletionResult]::new('zsh', 'zsh', [CompletionResultType]::ParameterValue, 'Print the zsh completion script for kubectl-kuul')
            [CompletionResult]::new('fish', 'fish', [CompletionResultType]::ParameterValue, 'Print the fish completion script for kubectl-kuul')
            [CompletionResult]::new('powershell', 'powershell', [CompletionResultType]::ParameterValue, 'Print the PowerShell completion script for kubectl-kuul')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install kubectl''s completion hook (kubectl_complete-kuul) next to the plugin on PATH')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-kuul;completion;help;bash' {
            break
        }
        'kubectl-kuul;completion;help;zsh' {
            break
        }
        'kubectl-kuul;completion;help;fish' {
            break
        }
        'kubectl-kuul;completion;help;powershell' {
            break
        }
        'kubectl-kuul;completion;help;install' {
            break
        }
        'kubectl-kuul;completion;help;help' {
            break
        }
        'kubectl-kuul;help' {
            [CompletionResult]::new('trigger', 'trigger', [CompletionResultType]::ParameterValue, 'Create a Job from a CronJob now, like `kubectl create job --from=cronjob/NAME`')
            [CompletionResult]::new('suspend-all', 'suspend-all', [CompletionResultType]::ParameterValue, 'Suspend every CronJob in scope, saving each one''s previous state on the object')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Restore the state `suspend-all` saved, or resume named CronJobs')
            [CompletionResult]::new('reschedule-next-minute', 'reschedule-next-minute', [CompletionResultType]::ParameterValue, 'Make a CronJob fire at the next minute (by the cluster''s clock), saving its schedule')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete finished Jobs and stray pods by age, result, kind of run and count')
            [CompletionResult]::new('lastrun', 'lastrun', [CompletionResultType]::ParameterValue, 'Show each CronJob''s last and next run and whether it is healthy')
            [CompletionResult]::new('label-pool', 'label-pool', [CompletionResultType]::ParameterValue, 'Put nodes into pools and show which CronJobs each pool serves')
            [CompletionResult]::new('cost-report', 'cost-report', [CompletionResultType]::ParameterValue, 'Estimate what periodic jobs cost, per CronJob, namespace and pool')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Every retained run of CronJobs: results, reasons, lateness and what changed')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'The logs of a CronJob''s latest, latest failed, Nth or every run, found for you')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Catch periodic-job pitfalls in manifests (-f) or in the cluster, with file:line')
            [CompletionResult]::new('forecast', 'forecast', [CompletionResultType]::ParameterValue, 'When CronJobs will fire, how runs pile up per pool against capacity: a heat map')
            [CompletionResult]::new('dash', 'dash', [CompletionResultType]::ParameterValue, 'A terminal UI: live verdicts, history, logs, and the writes behind keys')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print shell completion scripts, or install kubectl''s completion hook for `kubectl kuul`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-kuul;help;trigger' {
            break
        }
        'kubectl-kuul;help;suspend-all' {
            break
        }
        'kubectl-kuul;help;resume' {
            break
        }
        'kubectl-kuul;help;reschedule-next-minute' {
            break
        }
        'kubectl-kuul;help;prune' {
            break
        }
        'kubectl-kuul;help;lastrun' {
            break
        }
        'kubectl-kuul;help;label-pool' {
            break
        }
        'kubectl-kuul;help;cost-report' {
            break
        }
        'kubectl-kuul;help;history' {
            break
        }
        'kubectl-kuul;help;logs' {
            break
        }
        'kubectl-kuul;help;lint' {
            break
        }
        'kubectl-kuul;help;forecast' {
            break
        }
        'kubectl-kuul;help;dash' {
            break
        }
        'kubectl-kuul;help;completion' {
            [CompletionResult]::new('bash', 'bash', [CompletionResultType]::ParameterValue, 'Print the bash completion script for kubectl-kuul')
            [CompletionResult]::new('zsh', 'zsh', [CompletionResultType]::ParameterValue, 'Print the zsh completion script for kubectl-kuul')
            [CompletionResult]::new('fish', 'fish', [CompletionResultType]::ParameterValue, 'Print the fish completion script for kubectl-kuul')
            [CompletionResult]::new('powershell', 'powershell', [CompletionResultType]::ParameterValue, 'Print the PowerShell completion script for kubectl-kuul')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install kubectl''s completion hook (kubectl_complete-kuul) next to the plugin on PATH')
            break
        }
        'kubectl-kuul;help;completion;bash' {
            break
        }
        'kubectl-kuul;help;completion;zsh' {
            break
        }
        'kubectl-kuul;help;completion;fish' {
            break
        }
        'kubectl-kuul;help;completion;powershell' {
            break
        }
        'kubectl-kuul;help;completion;install' {
            break
        }
        'kubectl-kuul;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
