// The GUI against the running demo (playwright.config.ts starts it): real zone CPs, real proxies, real traffic.
// Tests run in file order on one demo; the last one kills zone CP west.
import { expect, test, type Page } from "@playwright/test";
import { demoPortBase, demoState, screenshotDir } from "./demo-instance";

const screenshot = (page: Page, name: string) => page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: true });

test("overview shows both zones, every demo dataplane and both zone ingresses online", async ({ page }) => {
  await page.goto("/");
  const zones = page.getByRole("region", { name: "Zones" });
  await expect(zones.locator(".big")).toHaveText("2");
  await expect(zones.locator("dl")).toContainText("online2");
  await expect(zones.locator("dl")).toContainText("offline0");
  const dataplanes = page.getByRole("region", { name: "Dataplanes" });
  await expect(dataplanes.locator(".big")).toHaveText("4");
  await expect(dataplanes.locator("dl")).toContainText("online4");
  const ingresses = page.getByRole("region", { name: "Zone ingresses" });
  await expect(ingresses.locator("dl")).toContainText("online2");
  await screenshot(page, "overview");
});

test("zones page lists east and west online", async ({ page }) => {
  await page.goto("/zones");
  for (const zone of ["east", "west"]) await expect(page.getByRole("row", { name: new RegExp(`^${zone}\\b`) })).toContainText("online");
  await screenshot(page, "zones");
});

test("meshes, services and zone ingresses pages show the demo mesh", async ({ page }) => {
  await page.goto("/meshes");
  await expect(page.getByRole("row", { name: /^default\b/ })).toContainText("ca-1 (builtin)");
  await screenshot(page, "meshes");

  await page.goto("/services?mesh=default");
  const backend = page.getByRole("row", { name: /^backend\b/ });
  await expect(backend).toContainText("east");
  await expect(backend).toContainText("west");
  await expect(backend).toContainText("2 / 2");
  await expect(page.getByRole("link", { name: "frontend" })).toBeVisible();
  await expect(page.getByRole("link", { name: "db", exact: true })).toBeVisible();
  await screenshot(page, "services");

  await page.goto("/zone-ingresses");
  for (const zone of ["east", "west"]) await expect(page.getByRole("row", { name: new RegExp(`^ingress-${zone}\\b(?!-)`) })).toContainText("online");
  await screenshot(page, "zone-ingresses");

  // The global created the mesh with Kuma's initial policies, beside the demo's own MeshRetry.
  await page.goto("/policies?type=MeshRetry&mesh=default");
  await expect(page.getByRole("link", { name: "mesh-retry-all-default" })).toBeVisible();
  await expect(page.getByRole("link", { name: "backend-retry" })).toBeVisible();
});

test("external services page lists the demo's ExternalService, which frontend's proxy reaches outside the mesh", async ({ page }) => {
  await page.goto("/external-services?mesh=default");
  const payments = page.getByRole("row", { name: /^payments-api\b/ });
  await expect(payments).toContainText(`localhost:${demoPortBase + 14}`);
  await expect(payments).toContainText("http");
  await expect(payments).toContainText("none");
  await screenshot(page, "external-services");
  const { traffic } = await demoState();
  const route = traffic.find((candidate) => candidate.name === "frontend-v1-east -> payments-api");
  expect(route).toBeDefined();
  await expect.poll(async () => (await fetch(route!.url)).text()).toBe("payments-api (outside the mesh)\n");
});

test("dataplane filters live in the URL; the detail shows its outbound and the policies that apply", async ({ page }) => {
  await page.goto("/dataplanes?mesh=default&zone=west");
  await expect(page.getByRole("link", { name: "backend-v2-west", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "db-v1-west", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "frontend-v1-east", exact: true })).toHaveCount(0);
  await page.getByLabel("Status").selectOption("offline");
  await expect(page).toHaveURL(/status=offline/);
  await expect(page.getByRole("link", { name: "db-v1-west", exact: true })).toHaveCount(0);

  await page.goto("/dataplanes?mesh=default");
  await expect(page.locator(".badge.online")).toHaveCount(4);
  await screenshot(page, "dataplanes");

  await page.getByRole("link", { name: "backend-v2-west", exact: true }).click();
  // Shown by the name it has in its zone (stored on the global as `backend-v2-west-<hash>`), with the version it reported.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("backend-v2-west in zone west, mesh default");
  await expect(page.getByText(/^kuma-dp \d+\.\d+\.\d+$/)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Policies that apply" })).toBeVisible();
  await expect(page.getByRole("link", { name: "allow-frontend-to-backend" })).toBeVisible();
  // Its outbound to db (demo-services.ts: backend v2 calls db at port offset 42).
  await expect(page.getByRole("row", { name: new RegExp(`^${demoPortBase + 42}\\b`) })).toContainText("db");
  await screenshot(page, "dataplane-detail");
});

test("topology draws zones, services and the cross-zone edges through the ingresses; collapses by zone and drills down", async ({ page }) => {
  await page.goto("/topology?mesh=default");
  await expect(page.locator(".topology-zone-title")).toHaveCount(2);
  // frontend -> backend (route and permission, in both zones), backend -> db (permission, from both zones).
  await expect(page.locator(".react-flow__edge")).toHaveCount(6);
  await expect(page.getByText("may talk · mTLS · via ingress")).toHaveCount(2);
  await expect(page.getByText("routes · mTLS · via ingress")).toHaveCount(1);
  await page.locator(".topology-service", { hasText: "db" }).click();
  await expect(page).toHaveURL(/selected=svc%3Awest%2Fdb/);
  const panel = page.getByRole("complementary", { name: "Service details" });
  await expect(panel.getByRole("link", { name: "db-v1-west", exact: true })).toBeVisible();
  await screenshot(page, "topology");

  // The checkbox follows the URL, so its state changes once the navigation lands: click, then assert.
  await page.getByLabel("collapse by zone").click();
  await expect(page.getByLabel("collapse by zone")).toBeChecked();
  await expect(page).toHaveURL(/collapse=1/);
  await expect(page.locator(".topology-service-name")).toHaveText(["2 services", "2 services"]);
  await page.locator(".topology-service", { hasText: "2 services" }).last().click();
  await expect(page).toHaveURL(/zone=west/);
  await expect(page.locator(".topology-service-name")).toHaveText(["backend", "db"]);
});

test("create a MeshTrafficPermission: field error, fix, preview, apply, listed", async ({ page }) => {
  await page.goto("/policies/edit?type=MeshTrafficPermission&mesh=default");
  const name = page.getByLabel("Name");
  await name.fill("Bad_Name");
  await expect(page.locator('.form-field [data-field="name"]')).toContainText("invalid characters");
  await expect(page.getByRole("button", { name: "Create policy" })).toBeDisabled();

  await name.fill("frontend-may-call-db");
  const preview = page.getByRole("region", { name: "Preview" });
  // Kuma's kind Dataplane selects one proxy by the name it has in its zone.
  await page.getByLabel("Target kind").selectOption("Dataplane");
  await page.getByLabel("Target dataplane").fill("frontend-v1-east");
  await expect(preview.getByRole("link", { name: "frontend-v1-east", exact: true })).toBeVisible();
  await expect(preview.getByRole("link", { name: "db-v1-west", exact: true })).toHaveCount(0);
  // Or by resource labels: the zone label every dataplane carries.
  await page.getByLabel("Target dataplane").fill("");
  await page.getByLabel("Target labels").fill("kuma.io/zone=west");
  await page.getByLabel("Target labels").press("Tab");
  await expect(preview.getByRole("link", { name: "db-v1-west", exact: true })).toBeVisible();
  await expect(preview.getByRole("link", { name: "frontend-v1-east", exact: true })).toHaveCount(0);
  await page.getByLabel("Target kind").selectOption("MeshService");
  await expect(page.getByLabel("Target service")).toHaveValue("");
  await page.getByLabel("Target service").fill("db");
  await page.getByLabel("From kind").selectOption("MeshService");
  await page.getByLabel("From service").fill("frontend");
  await expect(page.locator(".form-field .field-error")).toHaveCount(0);
  await expect(preview.getByRole("link", { name: "db-v1-west", exact: true })).toBeVisible();
  await expect(preview.getByRole("link", { name: "frontend-v1-east", exact: true })).toHaveCount(0);
  await screenshot(page, "policy-editor");

  await page.getByRole("button", { name: "Create policy" }).click();
  await expect(page).toHaveURL(/name=frontend-may-call-db/);
  await page.goto("/policies?type=MeshTrafficPermission&mesh=default");
  await expect(page.getByRole("link", { name: "frontend-may-call-db" })).toBeVisible();
  await expect(page.getByRole("link", { name: "allow-frontend-to-backend" })).toBeVisible();
  await screenshot(page, "policies");

  // The new permission is a third cross-zone "may talk" edge: frontend (east) -> db (west).
  await page.goto("/topology?mesh=default");
  await expect(page.getByText("may talk · mTLS · via ingress")).toHaveCount(3);
});

test("editing a policy someone else changed meanwhile warns before overwriting", async ({ page, request }) => {
  const { cps } = await demoState();
  await page.goto("/policies/edit?type=MeshTrafficPermission&mesh=default&name=allow-backend-to-db");
  await expect(page.getByLabel("Action")).toHaveValue("Allow");
  const changedElsewhere = await request.put(`${cps.global.apiUrl}/meshes/default/meshtrafficpermissions/allow-backend-to-db`, {
    data: {
      type: "MeshTrafficPermission",
      mesh: "default",
      name: "allow-backend-to-db",
      labels: { changed: "elsewhere" },
      spec: { targetRef: { kind: "MeshService", name: "db" }, from: [{ targetRef: { kind: "MeshService", name: "backend" }, default: { action: "Allow" } }] },
    },
  });
  expect(changedElsewhere.status()).toBe(200);
  await page.getByLabel("Action").selectOption("Deny");
  await expect(page.getByText("Someone changed this policy since you opened it")).toBeVisible();
  await expect(page.getByLabel("Diff against the stored version")).toContainText("-         action: Allow");
});

test("policies by SPIFFE ID (Kuma 2.12+ rules) show in the callee's applied policies: the callers a rule matches, the policy", async ({ page, request }) => {
  const { cps } = await demoState();
  const backendPrefix = [{ spiffeID: { type: "Prefix", value: "spiffe://default/back" } }];
  // db speaks TCP: neither policy changes the demo's traffic, both are rules of db's inbound.
  const policies = [
    { plural: "meshtrafficpermissions", type: "MeshTrafficPermission", name: "backend-to-db-by-id", spec: { targetRef: { kind: "MeshService", name: "db" }, rules: [{ default: { allow: backendPrefix } }] } },
    { plural: "meshfaultinjections", type: "MeshFaultInjection", name: "slow-for-backend", spec: { targetRef: { kind: "MeshService", name: "db" }, rules: [{ matches: backendPrefix, default: { http: [{ delay: { value: "1ms", percentage: 1 } }] } }] } },
  ];
  for (const { plural, ...policy } of policies) {
    const created = await request.put(`${cps.global.apiUrl}/meshes/default/${plural}/${policy.name}`, { data: { ...policy, mesh: "default" } });
    expect(created.status()).toBe(201);
  }
  await page.goto("/dataplanes?mesh=default&zone=west");
  await page.getByRole("link", { name: "db-v1-west", exact: true }).click();
  const permission = page.getByRole("row").filter({ has: page.getByRole("link", { name: "backend-to-db-by-id" }) });
  await expect(permission).toContainText("MeshTrafficPermission");
  await expect(permission).toContainText('"allow":[{"spiffeID":{"type":"Prefix","value":"spiffe://default/back"}}]');
  const fault = page.getByRole("row").filter({ has: page.getByRole("link", { name: "slow-for-backend" }) });
  await expect(fault).toContainText("from spiffe://default/back*");
  await expect(fault).toContainText('"delay":{"value":"1ms","percentage":1}');
});

// Last: the demo has no zone west from here on.
test("a killed zone CP shows offline on the zones page", async ({ page }) => {
  const { cps } = await demoState();
  await page.goto("/zones");
  const west = page.getByRole("row", { name: /^west\b/ });
  await expect(west).toContainText("online");
  process.kill(cps.west.pid, "SIGKILL");
  // The global marks the zone offline when its KDS stream ends; the page refetches every 10 s.
  await expect.poll(async () => (await west.textContent()) ?? "", { timeout: 60_000, intervals: [1_000] }).toContain("offline");
  await expect(page.getByRole("row", { name: /^east\b/ })).toContainText("online");
  await screenshot(page, "zones-west-offline");
});
