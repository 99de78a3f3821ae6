import StressCore
import Testing

@Suite("abort conditions: the one-line form, the flat form and their refusals")
struct AbortConditionTests {
    @Test(arguments: [
        "http http://127.0.0.1:8080/health",
        "http http://127.0.0.1:8080/health?full=1 latency=300ms misses=3 status=200-204 timeout=2s",
        "http https://[::1]:8443/ready every=250ms status=500",
        "tcp 127.0.0.1:5432",
        "tcp [::1]:5432 every=100ms latency=50ms",
        "pressure memory full=10%",
        "pressure cpu some=40.5% unit=nginx.service",
        "pressure io cgroup=/system.slice/app.service full=5%",
        "process nginx",
        "process match='^postgres: walwriter' min=2",
        "process min=3 unit=postgresql.service",
        "prometheus http://127.0.0.1:9090 'sum(rate(http_errors_total{job=\"web\"}[1m]))' max=5",
        "prometheus http://127.0.0.1:9090 up max=0.5 min=-1 timeout=500ms",
    ])
    func aLineReadsBackToItself(line: String) throws {
        let condition = try AbortCondition(line: line)
        #expect(condition.line == line)
        #expect(try AbortCondition(parameters: condition.parameters) == condition)
    }

    @Test func bareValuesFillTheCheck_sPositionsAndPairsMayComeFirst() throws {
        let typed = try AbortCondition(line: "prometheus  max=5 http://prom:9090/ \"rate(x[1m]) > 0\"  every=2s")
        #expect(typed.interval == .seconds(2) && typed.misses == 1)
        guard case .prometheus(let check) = typed.check else { return }
        #expect(check.query == "rate(x[1m]) > 0" && check.maximum == 5 && check.minimum == nil)
        #expect(check.server.target == "" && check.server.port == 9090 && check.allows(5) && !check.allows(5.01) && !check.allows(.nan))
    }

    @Test func anHTTPCheckKnowsItsStatusesAndWaitsNoLongerThanItsLatencyBound() throws {
        let condition = try AbortCondition(line: "http http://svc.local/ready status=2xx latency=250ms")
        guard case .http(let check) = condition.check else { Issue.record("not http"); return }
        #expect(check.status == 200...299 && check.url.port == 80 && check.url.target == "/ready" && check.url.authority == "svc.local:80")
        #expect(check.wait == .milliseconds(250))
        #expect(condition.line == "http http://svc.local/ready latency=250ms")
    }

    @Test func theDefaultsAreOneSecondAndOneMiss() throws {
        let condition = try AbortCondition(line: "tcp localhost:22")
        #expect(condition.interval == .seconds(1) && condition.misses == 1 && condition.source == .request)
        guard case .tcp(let check) = condition.check else { return }
        #expect(check.host == "localhost" && check.port == 22 && check.timeout == .seconds(1))
    }

    @Test(arguments: [
        ("", "abort-unless"),
        ("ping 10.0.0.1", "abort-unless"),
        ("http", "abort-unless http url"),
        ("http ftp://x/", "abort-unless http url"),
        ("http http://user:pw@x/", "abort-unless http url"),
        ("http http://x/ status=700", "abort-unless http status"),
        ("http http://x/ status=299-200", "abort-unless http status"),
        ("http http://x/ latency=0s", "abort-unless http latency"),
        ("http http://x/ timeout=1h", "abort-unless http timeout"),
        ("http http://x/ every=10ms", "abort-unless http every"),
        ("http http://x/ every=2m", "abort-unless http every"),
        ("http http://x/ misses=0", "abort-unless http misses"),
        ("http http://x/ misses=101", "abort-unless http misses"),
        ("http http://x/ http://y/", "abort-unless"),
        ("http http://x/ url=http://y/", "abort-unless http url"),
        ("http http://x/ 'unclosed", "abort-unless"),
        ("tcp 10.0.0.1", "abort-unless tcp address"),
        ("tcp ::1:80", "abort-unless tcp address"),
        ("tcp host:0", "abort-unless tcp address"),
        ("pressure disk some=10%", "abort-unless pressure resource"),
        ("pressure memory", "abort-unless pressure some"),
        ("pressure memory some=10% full=10%", "abort-unless pressure some"),
        ("pressure memory full=100%", "abort-unless pressure full"),
        ("pressure cpu full=10%", "abort-unless pressure full"),
        ("pressure io some=5% cgroup=/system.slice/../../x", "abort-unless pressure cgroup"),
        ("pressure io some=5% cgroup=system.slice", "abort-unless pressure cgroup"),
        ("pressure io some=5% unit=nginx", "abort-unless pressure unit"),
        ("pressure io some=5% unit=a.service cgroup=/a", "abort-unless pressure unit"),
        ("process", "abort-unless process name"),
        ("process name=nginx unit=nginx.service", "abort-unless process name"),
        ("process name=nginx min=0", "abort-unless process min"),
        ("process name=a-name-longer-than-15", "abort-unless process name"),
        ("prometheus http://p:9090", "abort-unless prometheus query"),
        ("prometheus http://p:9090 up", "abort-unless prometheus max"),
        ("prometheus http://p:9090 up min=2 max=1", "abort-unless prometheus min"),
        ("prometheus http://p:9090 up max=inf", "abort-unless prometheus max"),
    ])
    func badLinesAreRefusedNamingTheirField(line: String, field: String) {
        #expect {
            try AbortCondition(line: line)
        } throws: { error in
            (error as? InputError)?.field == field
        }
    }

    @Test func anUnknownParameterInTheFlatFormIsRefusedNamingIt() {
        #expect {
            try AbortCondition(parameters: FlatParameters(["check": "tcp", "address": "a:1", "status": "200"]))
        } throws: { error in
            (error as? InputError)?.field == "abort-unless tcp status"
        }
    }

    @Test func misses_inARowBreachAndAPassStartsTheCountAgain() throws {
        var watch = ConditionWatch(condition: try AbortCondition(line: "tcp a:1 misses=2"))
        let miss = { (at: Double) in ConditionEvaluation(elapsed: at, value: nil, passed: false, detail: "refused") }
        let pass = ConditionEvaluation(elapsed: 0, value: 1, passed: true, detail: "accepted in 1 ms")
        #expect(watch.judge(miss(1)) == nil)
        #expect(watch.judge(pass) == nil)
        #expect(watch.judge(miss(3)) == nil)
        let judged = watch.judge(miss(4))
        let breach = try #require(judged)
        #expect(breach.condition == "tcp a:1 misses=2" && breach.elapsed == 4)
        #expect(breach.reason == "refused at 4.00 s (2 misses in a row)")
    }

    @Test func anAbortedOutcomeKeepsItsConditionThroughJSON() throws {
        let outcome = AttackOutcome.aborted(condition: "tcp a:1", reason: "refused at 1.00 s")
        let data = try JSONCoding.encoder.encode(outcome)
        #expect(try JSONCoding.decoder.decode(AttackOutcome.self, from: data) == outcome)
        #expect(!outcome.isSuccess && outcome.status == "aborted")
        #expect(outcome.description == "aborted: the condition 'tcp a:1' failed: refused at 1.00 s")
    }
}
