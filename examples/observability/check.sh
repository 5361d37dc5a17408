#!/usr/bin/env bash
# Validates the observability examples without Docker or a running backend:
#   - the alert rules (promtool check rules) and their unit tests (promtool test rules);
#   - prometheus.yml (promtool check config), laid out the way docker-compose.yaml mounts it;
#   - every PromQL expression of the dashboard and of the Grafana data sources (as recording rules,
#     through promtool check rules), and their template variables;
#   - that every metric and label used is one llm-otel exports (names as the collector's prometheus
#     exporter translates them) and that each selector uses only labels its metric has; the rules' own
#     recorded series (llm_otel:<what>:<window>) count as metrics with the labels they are summed by;
#   - that every alert has a severity, a summary, a description and a runbook anchor that exists in
#     docs/runbook.md, and that the unit tests make each alert fire and also hold a case where it must not;
#   - that every JSON and YAML file parses; the collector's pipelines reference defined components;
#   - the compose files: `docker compose config` / `docker-compose config` when one is installed, and
#     always: pinned image tags (no `latest`), every mounted file present, named volumes declared.
#
# Tools: promtool from $PROMTOOL, else from PATH, else Debian's `prometheus` package downloaded into
# target/ (apt-get download + dpkg -x, nothing installed); PyYAML from python3 or /usr/bin/python3, else
# Debian's python3-yaml extracted into target/ the same way.
# Usage: examples/observability/check.sh        (exit status 0 when every check passed)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
TARGET="$HERE/target"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

FAILED=()
PASSED=0
note() { printf '%s\n' "$*"; }
pass() { PASSED=$((PASSED + 1)); printf '  ok    %s\n' "$1"; }
fail() { FAILED+=("$1"); printf '  FAIL  %s\n' "$1"; }

# Runs "$@", showing its output indented; records the result under the name $1.
check() {
  local name="$1"; shift
  local out rc=0
  out="$("$@" 2>&1)" || rc=$?
  if [ -n "$out" ]; then printf '%s\n' "$out" | sed 's/^/        /'; fi
  if [ "$rc" -eq 0 ]; then pass "$name"; else fail "$name (exit $rc)"; fi
}

# Downloads a Debian package into target/ and unpacks it there (no installation).
extract_deb() {
  local pkg="$1" dest="$TARGET/$1"
  mkdir -p "$TARGET"
  if ! ls "$TARGET"/"${pkg}"_*.deb >/dev/null 2>&1; then
    if ! (cd "$TARGET" && apt-get download "$pkg" >/dev/null 2>&1); then
      if [ "$(id -u)" = 0 ]; then
        note "  apt-get download $pkg failed; running apt-get update once"
        apt-get update >/dev/null 2>&1 || true
      fi
      (cd "$TARGET" && apt-get download "$pkg" >/dev/null 2>&1) || return 1
    fi
  fi
  rm -rf "$dest" && mkdir -p "$dest"
  dpkg -x "$(ls "$TARGET"/"${pkg}"_*.deb | head -n 1)" "$dest"
}

note "== Tools"
if [ -n "${PROMTOOL:-}" ]; then
  note "  promtool from \$PROMTOOL: $PROMTOOL"
elif command -v promtool >/dev/null 2>&1; then
  PROMTOOL="$(command -v promtool)"
  note "  promtool from PATH: $PROMTOOL"
else
  PROMTOOL="$TARGET/prometheus/usr/bin/promtool"
  if [ ! -x "$PROMTOOL" ]; then
    note "  promtool not found: downloading Debian's prometheus package into $TARGET"
    extract_deb prometheus || { note "  could not download the prometheus package (apt-get download prometheus)"; exit 2; }
  fi
  note "  promtool from Debian's package: $PROMTOOL"
fi
note "  $("$PROMTOOL" --version 2>&1 | head -n 1)"

PY=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import json, yaml' >/dev/null 2>&1; then
    PY="$(command -v "$candidate")"; break
  fi
done
if [ -z "$PY" ]; then
  note "  PyYAML not found: extracting Debian's python3-yaml into $TARGET"
  if extract_deb python3-yaml; then
    export PYTHONPATH="$TARGET/python3-yaml/usr/lib/python3/dist-packages${PYTHONPATH:+:$PYTHONPATH}"
    for candidate in /usr/bin/python3 python3; do
      if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import json, yaml' >/dev/null 2>&1; then
        PY="$(command -v "$candidate")"; break
      fi
    done
  fi
fi
if [ -z "$PY" ]; then
  note "  no Python with PyYAML (install python3-yaml); cannot check the YAML files"
  exit 2
fi
note "  $("$PY" --version 2>&1), PyYAML $("$PY" -c 'import yaml; print(yaml.__version__)')"

COMPOSE=()
if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  COMPOSE=(docker-compose)
fi
if [ "${#COMPOSE[@]}" -gt 0 ]; then
  note "  compose: ${COMPOSE[*]} ($("${COMPOSE[@]}" version 2>/dev/null | head -n 1))"
else
  note "  compose: neither 'docker compose' nor 'docker-compose' is installed; the compose files get the YAML checks only"
fi

HELPER="$WORK/helper.py"
cat > "$HELPER" <<'PYEOF'
import glob, json, os, re, sys
import yaml

HERE, REPO = sys.argv[1], sys.argv[2]
cmd, args = sys.argv[3], sys.argv[4:]
errors = []

def err(msg):
    errors.append(msg)

def rel(path):
    return os.path.relpath(path, REPO)

def load_yaml(path):
    with open(path) as f:
        return yaml.safe_load(f)

# --- The metrics llm-otel exports, as the collector's prometheus exporter names them ------------------
SCOPE = {"job", "instance", "otel_scope_name", "otel_scope_version"}
CALL = {"gen_ai_operation_name", "gen_ai_provider_name", "gen_ai_request_model", "gen_ai_response_model",
        "server_address", "server_port", "error_type", "llm_otel_workflow", "llm_otel_fault_injected"}
LABELS = {}
for base, extra in (("gen_ai_client_operation_duration_seconds", set()),
                    ("gen_ai_client_token_usage", {"gen_ai_token_type"}),
                    ("gen_ai_client_inference_time_to_first_chunk_seconds", set()),
                    ("gen_ai_client_inference_time_per_output_chunk_seconds", set())):
    LABELS[base + "_bucket"] = SCOPE | CALL | extra | {"le"}
    LABELS[base + "_sum"] = SCOPE | CALL | extra
    LABELS[base + "_count"] = SCOPE | CALL | extra
LABELS["llm_otel_cost_USD_total"] = SCOPE | {"gen_ai_provider_name", "gen_ai_request_model", "llm_otel_workflow"}
LABELS["llm_otel_policy_decisions_total"] = SCOPE | {"llm_otel_policy_name", "llm_otel_policy_decision",
                                                     "gen_ai_provider_name", "gen_ai_request_model", "llm_otel_workflow"}
LABELS["llm_otel_retries_total"] = SCOPE | {"gen_ai_provider_name", "gen_ai_request_model", "llm_otel_workflow", "error_type"}
# gen_ai_request_model: in docs/telemetry.md's table of this counter, not in the first description of it; the
# dashboard and the rules do not rely on it.
LABELS["llm_otel_prompt_calls_total"] = SCOPE | {"gen_ai_provider_name", "gen_ai_request_model", "llm_otel_workflow",
                                                 "llm_otel_prompt_name", "llm_otel_prompt_version"}
# Output validation and escalation: llm_otel_workflow is absent when the call has no workflow.
LABELS["llm_otel_output_validations_total"] = SCOPE | {"llm_otel_output_validation", "gen_ai_provider_name",
                                                       "gen_ai_request_model", "llm_otel_workflow"}
LABELS["llm_otel_escalations_total"] = SCOPE | {"llm_otel_escalation_reason", "llm_otel_workflow",
                                                "gen_ai_provider_name", "gen_ai_request_model"}
# Online evaluation (an LLM judge scoring sampled answers): exported only by services with a judge configured.
# The score histogram's unit {score} is dropped from the name; llm_otel_prompt_version only when the call has one.
EVALUATION = {"gen_ai_evaluation_name", "llm_otel_workflow", "gen_ai_provider_name", "gen_ai_request_model"}
LABELS["llm_otel_evaluation_score_bucket"] = SCOPE | EVALUATION | {"llm_otel_prompt_version", "le"}
LABELS["llm_otel_evaluation_score_sum"] = SCOPE | EVALUATION | {"llm_otel_prompt_version"}
LABELS["llm_otel_evaluation_score_count"] = SCOPE | EVALUATION | {"llm_otel_prompt_version"}
LABELS["llm_otel_evaluations_total"] = SCOPE | EVALUATION | {"llm_otel_evaluation_result"}
# Chaos drills (fault injection on, staging only): exported only by services in a drill. The calls' fault kinds
# label their duration and token series (llm_otel_fault_injected, absent on calls without a fault).
LABELS["llm_otel_drill_runs_total"] = SCOPE | {"llm_otel_workflow", "llm_otel_drill_outcome", "llm_otel_drill_faulted"}
LABELS["llm_otel_tool_faults_total"] = SCOPE | {"gen_ai_tool_name", "llm_otel_fault_kind", "llm_otel_workflow"}
LABELS["llm_otel_http_faults_total"] = SCOPE | {"llm_otel_fault_kind", "server_address", "http_request_method",
                                                 "llm_otel_workflow"}
# The shared governance store's health: exported only by services with governance.store set.
LABELS["llm_otel_governance_store_fallback"] = SCOPE | {"llm_otel_governance_store"}
LABELS["llm_otel_governance_store_transitions_total"] = SCOPE | {"llm_otel_governance_store",
                                                                 "llm_otel_governance_store_state"}
ALL_LABELS = set().union(*LABELS.values())
VALUES = {"llm_otel_policy_decision": {"refused", "would_refuse"},
          "llm_otel_policy_name": {"timeout", "input_tokens", "cost", "rate_limit", "loop_guard", "output_validation"},
          "gen_ai_token_type": {"input", "output"},
          "llm_otel_output_validation": {"valid", "invalid", "not_json", "unchecked"},
          "llm_otel_escalation_reason": {"output_invalid", "refusal", "content_filter", "truncated",
                                         "policy_refused", "low_confidence", "evaluation"},
          "llm_otel_drill_outcome": {"answered", "escalated", "failed", "refused"},
          "llm_otel_fault_kind": {"http_429", "http_500", "http_503", "connection_failure", "timeout", "latency",
                                  "malformed_response", "truncated_response", "tool_error", "tool_latency",
                                  "tool_timeout", "tool_result", "injected_instructions"},
          "llm_otel_evaluation_result": {"scored", "dropped", "over_budget", "judge_error", "judge_timeout",
                                         "judge_invalid"}}
# Series the alert rules record themselves: name -> the labels they keep (None: not known). Filled from the
# rules file by vocabulary-rules. Their names are llm_otel:<what>:<window>, never a name llm-otel exports.
RECORDED = {}
RECORDED_NAME = re.compile(r'llm_otel:[a-z0-9_]+:[a-z0-9_]+')
STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
MATCHER = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"')

def vocabulary(expr, where):
    """Every gen_ai_* / llm_otel_* name is a known metric or label; selectors use their metric's labels."""
    for token in set(re.findall(r'[A-Za-z_:][A-Za-z0-9_:]*', STRING.sub('""', expr))):
        if (token.startswith("gen_ai_") or token.startswith("llm_otel_")) and token not in LABELS and token not in ALL_LABELS:
            err(f"{where}: unknown metric or label {token!r}")
    for m in re.finditer(r'\b([A-Za-z_:][A-Za-z0-9_:]*)\s*\{([^}]*)\}', expr):
        metric, body = m.group(1), m.group(2)
        if metric in RECORDED:
            for label, op, value in MATCHER.findall(body):
                if RECORDED[metric] is not None and label not in RECORDED[metric]:
                    err(f"{where}: the recorded {metric} has no label {label!r}")
            continue
        if metric not in LABELS:
            if metric.startswith(("gen_ai_", "llm_otel_")):
                err(f"{where}: selector of unknown metric {metric!r}")
            continue
        for label, op, value in MATCHER.findall(body):
            if label not in LABELS[metric]:
                err(f"{where}: {metric} has no label {label!r}")
            if label in VALUES and op in ("=", "=~") and "$" not in value:
                for v in (value.split("|") if op == "=~" else [value]):
                    if v and v not in VALUES[label]:
                        err(f"{where}: {label}={v!r} is not a value llm-otel exports ({sorted(VALUES[label])})")
    if not any(t in expr for t in LABELS) and not any(t in expr for t in RECORDED):
        err(f"{where}: uses none of the llm-otel metrics")

# --- Grafana variables -> values PromQL accepts --------------------------------------------------------
GRAFANA_INTERVALS = {"__rate_interval": "5m", "__interval": "1m", "__range": "1h"}

def grafana_to_promql(expr, variables, where):
    def sub(m):
        name = m.group(1) or m.group(2)
        if name in GRAFANA_INTERVALS:
            return GRAFANA_INTERVALS[name]
        if name == "__tags":
            return 'job="svc", gen_ai_provider_name="openai", gen_ai_request_model="gpt-4o-mini", llm_otel_workflow="support"'
        if name not in variables:
            err(f"{where}: unknown variable ${name}")
        return ".*"
    out = re.sub(r'\$\$?\{([A-Za-z0-9_]+)(?::[a-z]+)?\}|\$\$?([A-Za-z0-9_]+)', sub, expr)
    if "$" in out:
        err(f"{where}: a '$' is left after substituting the variables: {out}")
    return out

def rules_file(exprs, path):
    rules = [{"record": f"check:expr_{i}", "expr": e} for i, (e, _) in enumerate(exprs)]
    with open(path, "w") as f:
        json.dump({"groups": [{"name": "exprs", "rules": rules}]}, f, indent=1)  # JSON is YAML
    with open(path + ".index", "w") as f:
        for i, (e, where) in enumerate(exprs):
            f.write(f"check:expr_{i}  {where}\n")

def dashboard_exprs(path):
    with open(path) as f:
        d = json.load(f)
    name = rel(path)
    out = []
    variables = {v["name"] for v in d.get("templating", {}).get("list", [])}
    for required in ("datasource", "job", "workflow", "provider", "model"):
        if required not in variables:
            err(f"{name}: template variable {required!r} missing")
    ds_var = [v for v in d["templating"]["list"] if v["name"] == "datasource"]
    if ds_var and (ds_var[0].get("type") != "datasource" or ds_var[0].get("query") != "prometheus"):
        err(f"{name}: variable 'datasource' must be of type datasource with query prometheus")
    if not isinstance(d.get("schemaVersion"), int) or d["schemaVersion"] < 36:
        err(f"{name}: schemaVersion {d.get('schemaVersion')!r}")
    for v in d["templating"]["list"]:
        if v.get("type") != "query":
            continue
        q = v["query"]["query"] if isinstance(v["query"], dict) else v["query"]
        m = re.fullmatch(r'\s*label_values\((.*),\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*', q)
        where = f"{name} variable {v['name']}"
        if not m:
            err(f"{where}: not a label_values(selector, label) query: {q}")
            continue
        if v.get("datasource", {}).get("uid") != "${datasource}":
            err(f"{where}: datasource is not ${{datasource}}")
        if m.group(2) not in ALL_LABELS:
            err(f"{where}: unknown label {m.group(2)!r}")
        vocabulary(m.group(1), where)
        out.append((grafana_to_promql(m.group(1), variables, where), where))
    seen_ids = set()
    def walk(panels):
        for p in panels:
            if p.get("id") in seen_ids:
                err(f"{name}: duplicate panel id {p.get('id')}")
            seen_ids.add(p.get("id"))
            walk(p.get("panels", []))
            if p.get("type") == "row":
                continue
            where = f"{name} panel {p.get('id')} {p.get('title')!r}"
            if p.get("datasource", {}).get("uid") != "${datasource}":
                err(f"{where}: datasource is not ${{datasource}}")
            if not p.get("targets"):
                err(f"{where}: no queries")
            for t in p.get("targets", []):
                if t.get("datasource", {}).get("uid") != "${datasource}":
                    err(f"{where} query {t.get('refId')}: datasource is not ${{datasource}}")
                vocabulary(t["expr"], f"{where} query {t.get('refId')}")
                out.append((grafana_to_promql(t["expr"], variables, f"{where} query {t.get('refId')}"),
                            f"{where} query {t.get('refId')}"))
    walk(d.get("panels", []))
    return out

def datasource_exprs(path):
    out = []
    for ds in load_yaml(path).get("datasources", []):
        t2m = (ds.get("jsonData") or {}).get("tracesToMetrics") or {}
        for q in t2m.get("queries", []):
            where = f"{rel(path)} {ds['name']} query {q['name']!r}"
            vocabulary(q["query"], where)
            out.append((grafana_to_promql(q["query"], set(), where), where))
    return out

# --- Commands -------------------------------------------------------------------------------------------
if cmd == "parse":
    for path in args:
        try:
            if path.endswith(".json"):
                with open(path) as f:
                    json.load(f)
            else:
                with open(path) as f:
                    docs = list(yaml.safe_load_all(f))
                if not docs or docs[0] is None:
                    err(f"{rel(path)}: empty")
            print(f"parsed {rel(path)}")
        except Exception as e:
            err(f"{rel(path)}: {e}")

elif cmd == "exprs":
    dashboard, datasources, out = args
    exprs = dashboard_exprs(dashboard) + datasource_exprs(datasources)
    rules_file(exprs, out)
    print(f"{len(exprs)} expressions (dashboard panels and variables, Tempo data source queries) written as recording rules")

elif cmd == "vocabulary-rules":
    for path in args:
        for g in load_yaml(path)["groups"]:
            for r in g["rules"]:
                if "record" in r:
                    if not RECORDED_NAME.fullmatch(r["record"]):
                        err(f"{rel(path)} {r['record']}: a recorded series is named llm_otel:<what>:<window>")
                    by = re.findall(r'\bby\s*\(([^)]*)\)', r["expr"])
                    RECORDED[r["record"]] = ({l.strip() for b in by for l in b.split(",") if l.strip()} or None)
        for g in load_yaml(path)["groups"]:
            for r in g["rules"]:
                vocabulary(r["expr"], f"{rel(path)} {r.get('alert') or r.get('record')}")
    print(f"metric and label names of the alert rules checked ({len(RECORDED)} recorded series)")

elif cmd == "alerts":
    rules_path, runbook, tests_paths = args[0], args[1], args[2:]
    with open(runbook) as f:
        md = f.read()
    anchors = set(re.findall(r'<a\s+(?:id|name)="([^"]+)"', md))
    for h in re.findall(r'^#{1,6}\s+(.+?)\s*#*\s*$', md, re.M):
        slug = re.sub(r'[^\w\- ]', '', h.strip().lower()).replace(' ', '-')
        anchors.add(slug)
    alerts = []
    for g in load_yaml(rules_path)["groups"]:
        for r in g["rules"]:
            if "alert" not in r:
                continue
            a = r["alert"]; alerts.append(a)
            sev = (r.get("labels") or {}).get("severity")
            if sev not in ("critical", "warning", "info"):
                err(f"{a}: severity label {sev!r}")
            ann = r.get("annotations") or {}
            for k in ("summary", "description", "runbook"):
                if not ann.get(k):
                    err(f"{a}: no {k} annotation")
            m = re.fullmatch(r'docs/runbook\.md#([A-Za-z0-9_-]+)', ann.get("runbook", ""))
            if not m:
                err(f"{a}: runbook annotation {ann.get('runbook')!r} is not docs/runbook.md#<anchor>")
            elif m.group(1) not in anchors:
                err(f"{a}: anchor #{m.group(1)} not found in {rel(runbook)}")
    fired, quiet = set(), set()
    for tests_path in tests_paths:
        for t in load_yaml(tests_path)["tests"]:
            for c in t.get("alert_rule_test", []):
                (fired if c.get("exp_alerts") else quiet).add(c["alertname"])
    for a in alerts:
        if a not in fired:
            err(f"{a}: no unit test makes it fire")
        if a not in quiet:
            err(f"{a}: no unit test where it must not fire")
    print(f"{len(alerts)} alerts: labels, annotations, runbook anchors and test coverage checked")

elif cmd == "prometheus-layout":
    # Lays prometheus.yml and the files mounted beside it out in a folder as docker-compose.yaml mounts them.
    compose_path, dest = args
    compose = load_yaml(compose_path)
    base = os.path.dirname(compose_path)
    root = "/etc/prometheus/"
    config = None
    for vol in compose["services"]["prometheus"].get("volumes", []):
        src, dst = vol.split(":")[:2]
        if not src.startswith((".", "/")) or not dst.startswith(root):
            continue
        src = os.path.normpath(os.path.join(base, src))
        target = os.path.join(dest, dst[len(root):])
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(src) as f_in, open(target, "w") as f_out:
            f_out.write(f_in.read())
        print(f"{rel(src)} -> {dst}")
        if dst == root + "prometheus.yml":
            config = target
    if config is None:
        err("the prometheus service mounts no /etc/prometheus/prometheus.yml")

elif cmd == "compose":
    for path in args:
        name = rel(path)
        c = load_yaml(path)
        base = os.path.dirname(path)
        named = set((c.get("volumes") or {}).keys())
        for svc, spec in (c.get("services") or {}).items():
            image = spec.get("image")
            if not image:
                err(f"{name} {svc}: no image")
            else:
                last = image.rsplit("/", 1)[-1]
                if "@sha256:" not in image and (":" not in last or last.endswith(":latest")):
                    err(f"{name} {svc}: image {image!r} is not pinned to a version")
            for vol in spec.get("volumes", []):
                if isinstance(vol, dict):
                    src, kind = vol.get("source", ""), vol.get("type")
                else:
                    src = vol.split(":")[0]
                    kind = "bind" if src.startswith((".", "/", "~")) else "volume"
                if kind == "bind":
                    full = os.path.normpath(os.path.join(base, src))
                    if not os.path.exists(full):
                        err(f"{name} {svc}: mounted path {src} does not exist ({rel(full)})")
                elif kind == "volume" and src not in named:
                    err(f"{name} {svc}: named volume {src!r} not declared under volumes")
        print(f"{name}: {len(c.get('services') or {})} services, images pinned, mounts present")

elif cmd == "collector":
    path = args[0]
    c = load_yaml(path)
    for pname, p in c["service"]["pipelines"].items():
        for kind in ("receivers", "processors", "exporters"):
            for comp in p.get(kind, []):
                if comp not in (c.get(kind) or {}):
                    err(f"{rel(path)} pipeline {pname}: {kind[:-1]} {comp!r} is not defined")
        procs = p.get("processors", [])
        if procs and procs[0] != "memory_limiter":
            err(f"{rel(path)} pipeline {pname}: memory_limiter should come first")
    for ext in c["service"].get("extensions", []):
        if ext not in (c.get("extensions") or {}):
            err(f"{rel(path)}: extension {ext!r} is not defined")
    prom = c["exporters"].get("prometheus") or {}
    if (prom.get("resource_to_telemetry_conversion") or {}).get("enabled", False):
        err(f"{rel(path)}: resource_to_telemetry_conversion must stay off (job/instance labels)")
    if prom.get("add_metric_suffixes") is False:
        err(f"{rel(path)}: add_metric_suffixes must stay on (the names the rules and dashboard use)")
    print(f"{rel(path)}: pipelines {', '.join(c['service']['pipelines'])} reference defined components")

elif cmd == "grafana":
    ds_path, prov_path, compose_path = args
    ds = load_yaml(ds_path)["datasources"]
    uids = {d.get("uid") for d in ds}
    for d in ds:
        jd = d.get("jsonData") or {}
        refs = [x.get("datasourceUid") for x in jd.get("exemplarTraceIdDestinations", [])]
        refs += [jd[k]["datasourceUid"] for k in ("tracesToMetrics", "serviceMap") if k in jd]
        for r in refs:
            if r not in uids:
                err(f"{rel(ds_path)} {d['name']}: refers to unknown data source uid {r!r}")
    paths = [p["options"]["path"] for p in load_yaml(prov_path)["providers"]]
    mounts = [v.split(":")[1] for v in load_yaml(compose_path)["services"]["grafana"]["volumes"]]
    for p in paths:
        if p not in mounts:
            err(f"{rel(prov_path)}: dashboard path {p} is not mounted into the grafana container")
    print("Grafana data source references and dashboard provider path checked")

else:
    err(f"unknown command {cmd}")

for e in errors:
    print("ERROR: " + e)
sys.exit(1 if errors else 0)
PYEOF
helper() { "$PY" "$HELPER" "$HERE" "$REPO" "$@"; }

ALERTS="$HERE/alerts"
TEMPO="$HERE/grafana-tempo"
DASHBOARD="$HERE/dashboards/llm-otel.json"
DATASOURCES="$TEMPO/grafana/provisioning/datasources/datasources.yaml"

note "== Files parse (JSON, YAML)"
mapfile -t FILES < <(find "$HERE" -path "$TARGET" -prune -o -type f \( -name '*.json' -o -name '*.yml' -o -name '*.yaml' \) -print | sort)
check "JSON and YAML parse (${#FILES[@]} files)" helper parse "${FILES[@]}"

note "== Alert rules"
check "promtool check rules alerts/llm-otel-rules.yml" "$PROMTOOL" check rules "$ALERTS/llm-otel-rules.yml"
check "metric and label names in the alert rules" helper vocabulary-rules "$ALERTS/llm-otel-rules.yml"
check "alert labels, annotations, runbook anchors, test coverage" \
  helper alerts "$ALERTS/llm-otel-rules.yml" "$REPO/docs/runbook.md" "$ALERTS/llm-otel-rules.test.yml" \
  "$ALERTS/llm-otel-rules.weekly.test.yml"
for tests in llm-otel-rules.test.yml llm-otel-rules.weekly.test.yml; do
  check "promtool test rules alerts/$tests" bash -c 'cd "$1" && "$2" test rules "$3"' _ "$ALERTS" "$PROMTOOL" "$tests"
done

note "== Prometheus configuration"
mkdir -p "$WORK/prometheus"
if helper prometheus-layout "$TEMPO/docker-compose.yaml" "$WORK/prometheus" | sed 's/^/        /'; then
  check "promtool check config prometheus.yml (with the rules mounted as in docker-compose.yaml)" \
    "$PROMTOOL" check config "$WORK/prometheus/prometheus.yml"
else
  fail "lay out prometheus.yml as docker-compose.yaml mounts it"
fi

note "== Dashboard and Grafana data source queries"
if helper exprs "$DASHBOARD" "$DATASOURCES" "$WORK/exprs.yml" | sed 's/^/        /'; then
  pass "dashboard JSON, variables, data sources and metric/label names"
  check "promtool check rules on every dashboard and data source expression" "$PROMTOOL" check rules "$WORK/exprs.yml"
else
  fail "dashboard JSON, variables, data sources and metric/label names"
fi
check "Grafana provisioning (data source uids, dashboard path mounted)" \
  helper grafana "$DATASOURCES" "$TEMPO/grafana/provisioning/dashboards/dashboards.yaml" "$TEMPO/docker-compose.yaml"

note "== Collector and compose files"
check "otel-collector.yaml pipelines" helper collector "$TEMPO/otel-collector.yaml"
for compose in "$HERE/jaeger/docker-compose.yaml" "$TEMPO/docker-compose.yaml"; do
  name="${compose#"$HERE"/}"
  check "$name: pinned images, mounted files exist, volumes declared" helper compose "$compose"
  if [ "${#COMPOSE[@]}" -gt 0 ]; then
    check "$name: ${COMPOSE[*]} config" "${COMPOSE[@]}" -f "$compose" config -q
  fi
done

note ""
if [ "${#FAILED[@]}" -gt 0 ]; then
  note "${#FAILED[@]} check(s) failed, $PASSED passed:"
  printf '  %s\n' "${FAILED[@]}"
  exit 1
fi
note "All $PASSED checks passed."
