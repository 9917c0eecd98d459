// Command gen writes golden test data for the kuul-schedule crate from robfig/cron v3.0.1
// itself, the version Kubernetes vendors. Not built by cargo; CI reads only its output.
//
// Regenerate (offline, Debian packages golang-go and golang-github-robfig-cron-dev):
//
//	cd crates/kuul-schedule/golden/gen
//	TZ=UTC GOPATH=/usr/share/gocode GO111MODULE=off go run . > ../robfig-v3.0.1.jsonl
//
// TZ=UTC makes robfig's time.Local (used when a schedule has no TZ= prefix) UTC, which is
// what the Rust port assumes for kube-controller-manager's zone.
//
// Each line is one JSON object with a "kind":
//   - "next": a spec, a start instant, and either robfig's parse error, "panic" (robfig
//     panics), or the next 5 activations (Unix seconds; null after a zero time).
//   - "most_recent": mostRecentScheduleTime (copied below from Kubernetes
//     pkg/controller/cronjob/utils.go) on generated CronJob states.
//   - "validate": validateScheduleFormat / validateTimeZone (copied below from Kubernetes
//     pkg/apis/batch/validation/validation.go) with field.Error's text format.
//   - "annotation": scheduledTime.In(LoadLocation(zone)).Format(time.RFC3339) and the job
//     name suffix (getTimeHashInMinutes) from getJobFromTemplate2.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"regexp"
	"strings"
	"time"

	cron "github.com/robfig/cron"
)

var zones = []string{
	"UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Santiago",
	"Asia/Kolkata",
}

// Schedules that parse, chosen to hit every quirk in docs/SCHEDULES.md.
var validSchedules = []string{
	"* * * * *", "*/5 * * * *", "0 * * * *", "30 2 * * *", "30 1 * * *", "0 5 * * *",
	"0 0 * * *", "0 2 * * *", "0 3 * * *", "59 23 * * *", "15 0 * * *",
	"@daily", "@midnight", "@hourly", "@weekly", "@monthly", "@yearly", "@annually",
	"0 0 1 * MON", "0 0 */1 * MON", "0 0 1 * */2", "5/30 * * * *", "*/61 * * * *",
	"+5 * * * *", "05 * * * *", "1,,2 * * * *", "*-5 * * * *", "? ? ? ? ?", "*/1 * * * ?",
	"0 0 30 2 *", "0 0 29 2 *", "0 0 31 * *", "15 10 * * 1-5", "30 10,11,12 * * 1-5",
	"0 9-17/2 * * MON-FRI", "0 0 * JAN,jul *", "0 12 * * sun", "0 12 * * FR\u0130",
	"59 23 31 12 *", "0 2-3 * * *", "30 2-3 * * *", "0,30 * * * *", "45 23 * * 6",
	"0 */3 * * *", "0 0 1 1 *", "0 0 * * 0", "* 2 * * *", "0 1-3 * * 0", "0 0 15 * 5",
	"0 0 */7 * *", "*/7 */5 * * *", "0 0 * * 1,3,5", "30 0 1,15 * *", "0 23 * * *",
	"0 1 * * *", "30 3 * * *", "0 4 * 4,10 *", "0 0 1 */3 *", "7 7 7 7 *", ", * * * *",
	"@every 1h", "@every 90m", "@every 1.5s", "@every 10ms", "@every -5m", "@every 0",
	"@every 36h", "@every 1h30m10s", "@every 25h",
}

// Schedules robfig rejects (or panics on), with the texts Kubernetes shows.
var invalidSchedules = []string{
	"", " ", "* * * *", "* * * * * *", "* * * * 7", "* * * * MONDAY", "* * * * MON-SUN",
	"0 0 L * *", "0 0 1W * *", "0 0 * * 1#2", "1-2-3 * * * *", "1/2/3 * * * *",
	"*/0 * * * *", "*/-1 * * * *", "-5 * * * *", "60 * * * *", "* 24 * * *", "0 0 0 * *",
	"0 0 32 * *", "* * * 13 *", "* * * 0 *", "@Daily", "@every", "@every ", "@every 1x",
	"@every 1", "@every .s", "@every 3000000h", "@reboot", "@daily ", " @daily", "x * * * *",
	"99999999999999999999 * * * *", "9223372036854775807 * * * *",
	"*/9223372036854775807 * * * *", "*/99999999999999999999x * * * *", "* * * * \u200b",
	"jan * * * *", "* * * MON *", "5-1 * * * *", "*/5/2 * * * *", "1-x * * * *", "L * * * *",
	"* * * * SUN-SAT", "* * * * 0-7", "1.5 * * * *", "0x10 * * * *", "1_0 * * * *",
	"* * * * mon\u00e9", "\"a\" * * * *", "@every 1\u00e9", "@every \"1\"",
	"TZ=UTC", "CRON_TZ=America/New_York", "TZ=Mars/Base * * * * *",
	"TZ=america/new_york * * * * *", "TZ=../etc * * * * *", "TZ=/etc/localtime * * * * *",
	"TZ=UTC\t* * * * *", "TZ=UTC  * * * * *", "CRON_TZ=UTC @every 1h", "TZ=UTC @weekly",
	"TZ= 0 9 * * *", "TZ=Local 0 9 * * *", "CRON_TZ=Asia/Kolkata 0 9 * * *",
	"TZ=Asia/Kolkata", "TZ=UTC * * * *", "TZ=Etc/GMT+5 0 12 * * *",
}

type nextCase struct {
	Kind   string   `json:"kind"`
	Spec   string   `json:"spec"`
	Start  int64    `json:"start,omitempty"`
	Nanos  int      `json:"nanos,omitempty"`
	Next   []*int64 `json:"next,omitempty"`
	Error  *string  `json:"error,omitempty"`
	Panics bool     `json:"panics,omitempty"`
}

type mostRecentCase struct {
	Kind       string  `json:"kind"`
	Spec       string  `json:"spec"`
	Last       *int64  `json:"last"`
	Creation   int64   `json:"creation"`
	Deadline   *int64  `json:"deadline"`
	Include    bool    `json:"include"`
	Now        int64   `json:"now"`
	NowNanos   int     `json:"now_nanos,omitempty"`
	Earliest   int64   `json:"earliest"`
	MostRecent *int64  `json:"most_recent"`
	Missed     string  `json:"missed"`
	Error      *string `json:"error,omitempty"`
}

type validateCase struct {
	Kind     string   `json:"kind"`
	Schedule string   `json:"schedule"`
	TimeZone *string  `json:"time_zone"`
	AllowTZ  bool     `json:"allow_tz"`
	Errors   []string `json:"errors"`
}

type annotationCase struct {
	Kind      string `json:"kind"`
	Zone      string `json:"zone"`
	At        int64  `json:"at"`
	Value     string `json:"value"`
	JobMinute int64  `json:"job_minute"`
}

var out = bufio.NewWriter(os.Stdout)

func emit(v interface{}) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	out.Write(b)
	out.WriteByte('\n')
}

// parse is cron.ParseStandard with robfig's panics turned into a flag.
func parse(spec string) (s cron.Schedule, err error, panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			panicked = true
		}
	}()
	s, err = cron.ParseStandard(spec)
	return
}

func nextFive(s cron.Schedule, start time.Time) []*int64 {
	res := []*int64{}
	t := start
	for i := 0; i < 5; i++ {
		t = s.Next(t)
		if t.IsZero() {
			res = append(res, nil)
			break
		}
		u := t.Unix()
		res = append(res, &u)
	}
	return res
}

func emitNext(spec string, starts []time.Time) {
	s, err, panicked := parse(spec)
	switch {
	case panicked:
		emit(nextCase{Kind: "next", Spec: spec, Panics: true})
	case err != nil:
		msg := err.Error()
		emit(nextCase{Kind: "next", Spec: spec, Error: &msg})
	default:
		for _, st := range starts {
			emit(nextCase{Kind: "next", Spec: spec, Start: st.Unix(), Nanos: st.Nanosecond(), Next: nextFive(s, st)})
		}
	}
}

// transitions lists the UTC instants where zone's offset changes in [from, to).
func transitions(zone string, from, to time.Time) []time.Time {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		panic(err)
	}
	var res []time.Time
	_, prev := from.In(loc).Zone()
	for t := from; t.Before(to); t = t.Add(15 * time.Minute) {
		if _, off := t.In(loc).Zone(); off != prev {
			// Refine to the second.
			lo := t.Add(-15 * time.Minute)
			for lo.Add(time.Second).Before(t) {
				mid := lo.Add(t.Sub(lo) / 2).Truncate(time.Second)
				if _, o := mid.In(loc).Zone(); o == prev {
					lo = mid
				} else {
					t = mid
				}
			}
			res = append(res, t)
			prev = off
		}
	}
	return res
}

func main() {
	fuzz := flag.Int("fuzz", 0, "instead of the golden set, emit N random token-soup specs (for KUUL_GOLDEN_EXTRA)")
	seed := flag.Int64("seed", 20241103, "random seed")
	specs := flag.Int("specs", 0, "instead of the golden set, emit N random grammar specs in random zones from DST-adjacent starts")
	flag.Parse()
	defer out.Flush()
	rng := rand.New(rand.NewSource(*seed))
	if *fuzz > 0 {
		emitFuzz(rng, *fuzz)
		return
	}
	if *specs > 0 {
		var changes []time.Time
		for _, z := range zones {
			changes = append(changes, transitions(z, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))...)
		}
		for i := 0; i < *specs; i++ {
			spec := "TZ=" + zones[rng.Intn(len(zones))] + " " + randomSpec(rng)
			c := changes[rng.Intn(len(changes))]
			emitNext(spec, []time.Time{c.Add(-time.Duration(rng.Intn(48*3600)) * time.Second), c.Add(time.Duration(rng.Intn(3600)-1800) * time.Second)})
		}
		return
	}
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

	// Start instants per zone: around each DST change, plus random ones (some with nanos).
	var random []time.Time
	for i := 0; i < 8; i++ {
		sec := from.Unix() + rng.Int63n(to.Unix()-from.Unix())
		random = append(random, time.Unix(sec, int64(rng.Intn(3))*500000000).UTC())
	}
	var allChanges []time.Time
	for _, z := range zones {
		allChanges = append(allChanges, transitions(z, from, to)...)
	}
	startsFor := func(zone string) []time.Time {
		changes := transitions(zone, from, to)
		if len(changes) == 0 {
			// Fixed-offset zones: probe around other zones' changes (every 3rd).
			for i := 0; i < len(allChanges); i += 3 {
				changes = append(changes, allChanges[i])
			}
		}
		var starts []time.Time
		for _, c := range changes {
			for _, d := range []time.Duration{-25 * time.Hour, -90 * time.Minute, -time.Second, 30 * time.Minute} {
				starts = append(starts, c.Add(d).UTC())
			}
		}
		return append(starts, random...)
	}

	for _, z := range zones {
		starts := startsFor(z)
		for _, spec := range validSchedules {
			emitNext("TZ="+z+" "+spec, starts)
		}
	}
	// Unprefixed (time.Local = UTC) and invalid specs, with a few starts.
	few := append([]time.Time{}, random[:4]...)
	few = append(few, allChanges[0], allChanges[5])
	for _, spec := range validSchedules {
		emitNext(spec, few)
	}
	for _, spec := range invalidSchedules {
		emitNext(spec, few)
	}
	// Random specs from the field grammar: mostly valid, many invalid.
	for i := 0; i < 1500; i++ {
		spec := randomSpec(rng)
		if rng.Intn(3) == 0 {
			spec = "TZ=" + zones[rng.Intn(len(zones))] + " " + spec
		}
		emitNext(spec, []time.Time{random[rng.Intn(len(random))], allChanges[rng.Intn(len(allChanges))].Add(-time.Hour)})
	}

	emitMostRecent(rng)
	emitValidate()
	emitAnnotations(rng, allChanges)
}

func randomSpec(rng *rand.Rand) string {
	type field struct {
		max   int
		names []string
	}
	fields := []field{{59, nil}, {23, nil}, {31, nil}, {12, []string{"JAN", "feb", "Mar", "DEC"}}, {6, []string{"SUN", "mon", "Fri", "SAT"}}}
	atom := func(f field) string {
		switch rng.Intn(10) {
		case 0:
			return "*"
		case 1:
			return "?"
		case 2:
			if f.names != nil {
				return f.names[rng.Intn(len(f.names))]
			}
			return fmt.Sprint(rng.Intn(f.max + 3))
		case 3:
			return fmt.Sprint(rng.Intn(f.max+3) - 1)
		default:
			return fmt.Sprint(rng.Intn(f.max + 1))
		}
	}
	elem := func(f field) string {
		s := atom(f)
		switch rng.Intn(6) {
		case 0:
			s += "-" + atom(f)
		case 1:
			s += "-" + atom(f) + "/" + fmt.Sprint(rng.Intn(8))
		case 2:
			s += "/" + fmt.Sprint(rng.Intn(f.max+2))
		}
		return s
	}
	n := 5
	if rng.Intn(25) == 0 {
		n = 4 + rng.Intn(3)*1
	}
	parts := make([]string, n)
	for i := 0; i < n; i++ {
		f := fields[i%5]
		k := 1 + rng.Intn(3)/2
		var es []string
		for j := 0; j < k; j++ {
			es = append(es, elem(f))
		}
		parts[i] = strings.Join(es, ",")
	}
	return strings.Join(parts, " ")
}

// ---- Copied from Kubernetes pkg/controller/cronjob/utils.go (mostRecentScheduleTime) ----

type missedSchedulesType int

const (
	noneMissed missedSchedulesType = iota
	fewMissed
	manyMissed
)

func (e missedSchedulesType) String() string {
	switch e {
	case noneMissed:
		return "none"
	case fewMissed:
		return "few"
	case manyMissed:
		return "many"
	default:
		return fmt.Sprintf("unknown(%d)", int(e))
	}
}

type cronJobState struct {
	creation                time.Time
	lastScheduleTime        *time.Time
	startingDeadlineSeconds *int64
}

func mostRecentScheduleTime(cj cronJobState, now time.Time, schedule cron.Schedule, includeStartingDeadlineSeconds bool) (time.Time, *time.Time, missedSchedulesType, error) {
	earliestTime := cj.creation
	missedSchedules := noneMissed
	if cj.lastScheduleTime != nil {
		earliestTime = *cj.lastScheduleTime
	}
	if includeStartingDeadlineSeconds && cj.startingDeadlineSeconds != nil {
		// controller is not going to schedule anything below this point
		schedulingDeadline := now.Add(-time.Second * time.Duration(*cj.startingDeadlineSeconds))

		if schedulingDeadline.After(earliestTime) {
			earliestTime = schedulingDeadline
		}
	}

	t1 := schedule.Next(earliestTime)
	t2 := schedule.Next(t1)

	if now.Before(t1) {
		return earliestTime, nil, missedSchedules, nil
	}
	if now.Before(t2) {
		return earliestTime, &t1, missedSchedules, nil
	}

	timeBetweenTwoSchedules := int64(t2.Sub(t1).Round(time.Second).Seconds())
	if timeBetweenTwoSchedules < 1 {
		return earliestTime, nil, missedSchedules, fmt.Errorf("time difference between two schedules is less than 1 second")
	}
	timeElapsed := int64(now.Sub(t1).Seconds())
	numberOfMissedSchedules := (timeElapsed / timeBetweenTwoSchedules) + 1

	var mostRecentTime time.Time
	potentialEarliest := t1.Add(time.Duration((numberOfMissedSchedules-1-1)*timeBetweenTwoSchedules) * time.Second)
	for t := schedule.Next(potentialEarliest); !t.After(now); t = schedule.Next(t) {
		mostRecentTime = t
	}

	switch {
	case numberOfMissedSchedules > 100:
		missedSchedules = manyMissed
	case numberOfMissedSchedules > 0:
		missedSchedules = fewMissed
	}

	if mostRecentTime.IsZero() {
		return earliestTime, nil, missedSchedules, nil
	}
	return earliestTime, &mostRecentTime, missedSchedules, nil
}

// ---- end of copy ----

func emitMostRecent(rng *rand.Rand) {
	specs := []string{
		"0 * * * *", "*/5 * * * *", "30 10,11,12 * * 1-5", "30 6-16/4 * * 1-5", "0 0 1 * *",
		"@every 1h", "@every 90s", "0 0 30 2 *", "59 23 31 2 *", "TZ=America/New_York 30 1 * * *",
		"TZ=America/New_York 30 2 * * *", "TZ=Australia/Lord_Howe 0 5 * * *", "* * * * *",
		"0 0 * * *", "TZ=Europe/London 15 1 * * 0",
	}
	base := time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC).Unix()
	for i := 0; i < 900; i++ {
		spec := specs[i%len(specs)]
		sched, err := cron.ParseStandard(spec)
		if err != nil {
			panic(err)
		}
		creation := time.Unix(base+rng.Int63n(40*86400), 0).UTC()
		var last *time.Time
		if rng.Intn(3) != 0 {
			l := sched.Next(creation.Add(time.Duration(rng.Intn(7200)) * time.Second))
			if !l.IsZero() {
				last = &l
			}
		}
		ref := creation
		if last != nil {
			ref = *last
		}
		spans := []int64{30, 600, 3600, 4 * 3600, 86400, 3 * 86400, 10 * 86400, 40 * 86400}
		now := time.Unix(ref.Unix()+rng.Int63n(spans[rng.Intn(len(spans))]), int64(rng.Intn(1000000000))).UTC()
		var deadline *int64
		if rng.Intn(2) == 0 {
			d := []int64{0, 10, 200, 3600, 86400, 1 << 40}[rng.Intn(6)]
			deadline = &d
		}
		include := rng.Intn(2) == 0
		earliest, mostRecent, missed, err := mostRecentScheduleTime(cronJobState{creation, last, deadline}, now, sched, include)
		c := mostRecentCase{Kind: "most_recent", Spec: spec, Creation: creation.Unix(), Deadline: deadline, Include: include,
			Now: now.Unix(), NowNanos: now.Nanosecond(), Earliest: earliest.Unix(), Missed: missed.String()}
		if earliest.Nanosecond() != 0 {
			// earliest = now - deadline keeps now's nanoseconds; the Rust side recomputes it.
			c.Earliest = earliest.Unix()
		}
		if last != nil {
			u := last.Unix()
			c.Last = &u
		}
		if mostRecent != nil {
			u := mostRecent.Unix()
			c.MostRecent = &u
		}
		if err != nil {
			msg := err.Error()
			c.Error = &msg
		}
		emit(c)
	}
}

// ---- Copied from Kubernetes pkg/apis/batch/validation/validation.go ----

var validTimeZoneCharacters = regexp.MustCompile(`^[A-Za-z\.\-_0-9+]{1,14}$`)

// invalid renders field.Invalid(path, value, detail).Error() for a string value
// (apimachinery field/errors.go: "%s: %s: %q: %s").
func invalid(path, value, detail string) string {
	return fmt.Sprintf("%s: Invalid value: %q: %s", path, value, detail)
}

func validateScheduleFormat(schedule string, allowTZInSchedule bool, timeZone *string) []string {
	var allErrs []string
	if len(schedule) == 0 {
		return []string{"spec.schedule: Required value"}
	}
	if _, err, panicked := parse(schedule); panicked {
		allErrs = append(allErrs, "PANIC")
	} else if err != nil {
		allErrs = append(allErrs, invalid("spec.schedule", schedule, err.Error()))
	}
	switch {
	case allowTZInSchedule && strings.Contains(schedule, "TZ") && timeZone != nil:
		allErrs = append(allErrs, invalid("spec.schedule", schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"))
	case !allowTZInSchedule && strings.Contains(schedule, "TZ"):
		allErrs = append(allErrs, invalid("spec.schedule", schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
	}
	return allErrs
}

func validateTimeZone(timeZone *string) []string {
	var allErrs []string
	if timeZone == nil {
		return allErrs
	}
	if len(*timeZone) == 0 {
		return []string{invalid("spec.timeZone", *timeZone, "timeZone must be nil or non-empty string")}
	}
	for _, part := range strings.Split(*timeZone, "/") {
		if part == "." || part == ".." || strings.HasPrefix(part, "-") || !validTimeZoneCharacters.MatchString(part) {
			return []string{invalid("spec.timeZone", *timeZone, fmt.Sprintf("unknown time zone %s", *timeZone))}
		}
	}
	if strings.EqualFold(*timeZone, "Local") {
		allErrs = append(allErrs, invalid("spec.timeZone", *timeZone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"))
	}
	if _, err := time.LoadLocation(*timeZone); err != nil {
		allErrs = append(allErrs, invalid("spec.timeZone", *timeZone, err.Error()))
	}
	return allErrs
}

// ---- end of copy ----

func emitValidate() {
	tzs := []*string{nil}
	for _, z := range []string{"", "UTC", "Local", "LOCAL", "local", "America/New_York", "america/new_york",
		"Mars/Olympus", "../UTC", "-Europe/Paris", "America/New York", "Etc/GMT+5", "Europe/Kyiv",
		"Antarctica/DumontDUrville", "America/Argentina/ComodRivadavia", "a//b", "UTC/", ".", "Asia/Kolkata"} {
		z := z
		tzs = append(tzs, &z)
	}
	scheds := append(append([]string{}, validSchedules[:20]...), invalidSchedules...)
	for _, s := range scheds {
		for _, allow := range []bool{false, true} {
			for i, tz := range []*string{nil, tzs[2]} {
				if i == 1 && !strings.Contains(s, "TZ") {
					continue
				}
				emit(validateCase{Kind: "validate", Schedule: s, TimeZone: tz, AllowTZ: allow, Errors: validateScheduleFormat(s, allow, tz)})
			}
		}
	}
	for _, tz := range tzs[1:] {
		emit(validateCase{Kind: "validate_tz", TimeZone: tz, Errors: validateTimeZone(tz)})
	}
}

func emitAnnotations(rng *rand.Rand, changes []time.Time) {
	for _, z := range append([]string{""}, zones...) {
		loc, err := time.LoadLocation(z)
		if err != nil {
			panic(err)
		}
		for i := 0; i < 20; i++ {
			var t time.Time
			if i < 10 {
				t = changes[rng.Intn(len(changes))].Add(time.Duration(rng.Intn(7200)-3600) * time.Second)
			} else {
				t = time.Unix(rng.Int63n(4102444800)-2208988800, 0)
			}
			emit(annotationCase{Kind: "annotation", Zone: z, At: t.Unix(), Value: t.In(loc).Format(time.RFC3339), JobMinute: t.Unix() / 60})
		}
	}
}

// emitFuzz writes n specs glued together from cron-ish tokens, valid or not, each with robfig's
// verdict from two random starts. Not part of the committed golden file; see README.md.
func emitFuzz(rng *rand.Rand, n int) {
	tokens := []string{"*", "?", "-", "/", ",", "0", "1", "5", "7", "12", "23", "31", "59", "60",
		"99", "+", "+3", "-1", "00", "MON", "jan", "Sun", "FR\u0130", "mOn", " ", " ", " ", "  ", "\t",
		"@every ", "@daily", "@hourly", "@weekly", "1h", "90m", "1.5s", "x", "TZ=", "CRON_TZ=",
		"UTC", "America/New_York", "Europe/London", "Asia/Kolkata", "L", "#", "W", "\u00e9", "\u200b",
		"\"", "=", "@", "99999999999999999999", "9223372036854775807"}
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for i := 0; i < n; i++ {
		var b strings.Builder
		for k := 1 + rng.Intn(12); k > 0; k-- {
			b.WriteString(tokens[rng.Intn(len(tokens))])
		}
		start := func() time.Time { return time.Unix(from+rng.Int63n(3*365*86400), int64(rng.Intn(1e9))).UTC() }
		emitNext(b.String(), []time.Time{start(), start()})
	}
}
