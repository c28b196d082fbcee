import { describeSpiffeIdMatches } from "@zonemesh/resources";
import Link from "next/link";
import type { DataplaneRules } from "@/server/cp-client";
import { Empty } from "@/components/states";
import { policyEditorHref } from "@/lib/links";

type Rule = DataplaneRules["rules"][number]["toRules"][number];

const matcherText = (rule: Pick<Rule, "matchers">) =>
  rule.matchers.length === 0 ? "everything" : rule.matchers.map((matcher) => `${matcher.key}=${matcher.value}`).join(", ");

function Origins({ origin }: { origin: Rule["origin"] }) {
  return (
    <>
      {origin.map((policy, index) => (
        <span key={`${policy.type}/${policy.name}`}>
          {index > 0 && ", "}
          <Link href={policyEditorHref(policy.type, policy.mesh, policy.name)}>
            {policy.name}
          </Link>
        </span>
      ))}
    </>
  );
}

interface RuleRow {
  key: string;
  type: string;
  direction: string;
  traffic: string;
  conf: Record<string, unknown>;
  origin: Rule["origin"];
}

function ruleRows(rules: DataplaneRules["rules"]): RuleRow[] {
  return rules.flatMap(({ type, toRules, fromRules, inboundRules, inboundMatchedRules, singleItemRules }) => [
    ...toRules.map((rule, index) => ({ key: `${type}-to-${index}`, type, direction: "outbound", traffic: `to ${matcherText(rule)}`, ...rule })),
    ...fromRules.flatMap(({ inbound, rules: inboundRulesFrom }) =>
      inboundRulesFrom.map((rule, index) => ({
        key: `${type}-from-${inbound.port}-${index}`,
        type,
        direction: `inbound :${inbound.port}`,
        traffic: `from ${matcherText(rule)}`,
        ...rule,
      })),
    ),
    ...inboundRules.map((entry) => ({ key: `${type}-inbound-${entry.inbound.port}`, type, direction: `inbound :${entry.inbound.port}`, traffic: "all", ...entry })),
    ...inboundMatchedRules.flatMap(({ inbound, rules: matched }) =>
      matched.map((rule, index) => ({
        key: `${type}-matched-${inbound.port}-${index}`,
        type,
        direction: `inbound :${inbound.port}`,
        traffic: `from ${describeSpiffeIdMatches(rule.matches)}`,
        conf: rule.conf,
        origin: rule.origin,
      })),
    ),
    ...singleItemRules.map((rule, index) => ({ key: `${type}-proxy-${index}`, type, direction: "proxy", traffic: "all", ...rule })),
  ]);
}

/** The rules from the CP's `_rules` inspection, grouped by policy type: what applies and which policies it comes from. */
export function AppliedPolicies({ rules }: { rules: DataplaneRules["rules"] }) {
  if (rules.length === 0) return <Empty>No policy selects this dataplane.</Empty>;
  return (
    <table className="list">
      <thead>
        <tr>
          <th>Type</th>
          <th>Direction</th>
          <th>Traffic</th>
          <th>Configuration</th>
          <th>From policies</th>
        </tr>
      </thead>
      <tbody>
        {ruleRows(rules).map((row) => (
          <tr key={row.key}>
            <td>{row.type}</td>
            <td>{row.direction}</td>
            <td>{row.traffic}</td>
            <td>
              <code>{JSON.stringify(row.conf)}</code>
            </td>
            <td>
              <Origins origin={row.origin} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
