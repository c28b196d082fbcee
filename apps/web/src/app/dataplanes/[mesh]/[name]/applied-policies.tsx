import Link from "next/link";
import type { DataplaneRules } from "@/server/cp-client";
import { Empty } from "@/components/states";

type Rule = DataplaneRules["rules"][number]["toRules"][number];

const matcherText = (rule: Pick<Rule, "matchers">) =>
  rule.matchers.length === 0 ? "everything" : rule.matchers.map((matcher) => `${matcher.key}=${matcher.value}`).join(", ");

function Origins({ origin }: { origin: Rule["origin"] }) {
  return (
    <>
      {origin.map((policy, index) => (
        <span key={`${policy.type}/${policy.name}`}>
          {index > 0 && ", "}
          <Link href={`/policies/edit?type=${policy.type}&mesh=${encodeURIComponent(policy.mesh)}&name=${encodeURIComponent(policy.name)}`}>
            {policy.name}
          </Link>
        </span>
      ))}
    </>
  );
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
        {rules.flatMap((typeRules) => [
          ...typeRules.toRules.map((rule, index) => (
            <tr key={`${typeRules.type}-to-${index}`}>
              <td>{typeRules.type}</td>
              <td>outbound</td>
              <td>to {matcherText(rule)}</td>
              <td>
                <code>{JSON.stringify(rule.conf)}</code>
              </td>
              <td>
                <Origins origin={rule.origin} />
              </td>
            </tr>
          )),
          ...typeRules.fromRules.flatMap((entry) =>
            entry.rules.map((rule, index) => (
              <tr key={`${typeRules.type}-from-${entry.inbound.port}-${index}`}>
                <td>{typeRules.type}</td>
                <td>inbound :{entry.inbound.port}</td>
                <td>from {matcherText(rule)}</td>
                <td>
                  <code>{JSON.stringify(rule.conf)}</code>
                </td>
                <td>
                  <Origins origin={rule.origin} />
                </td>
              </tr>
            )),
          ),
          ...typeRules.inboundRules.map((entry) => (
            <tr key={`${typeRules.type}-inbound-${entry.inbound.port}`}>
              <td>{typeRules.type}</td>
              <td>inbound :{entry.inbound.port}</td>
              <td>all</td>
              <td>
                <code>{JSON.stringify(entry.conf)}</code>
              </td>
              <td>
                <Origins origin={entry.origin} />
              </td>
            </tr>
          )),
        ])}
      </tbody>
    </table>
  );
}
