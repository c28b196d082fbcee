import { expect, test, type Page } from "@playwright/test";

const screenshot = (page: Page, name: string) => page.screenshot({ path: `../../test-results/web/screenshots/${name}.png`, fullPage: true });

test("overview shows one zone online and one offline", async ({ page }) => {
  await page.goto("/");
  const zones = page.getByRole("region", { name: "Zones" });
  await expect(zones.locator(".big")).toHaveText("2");
  await expect(zones.locator("dl")).toContainText("online1");
  await expect(zones.locator("dl")).toContainText("offline1");
  await screenshot(page, "overview");
});

test("dataplane filters live in the URL and the list follows them", async ({ page }) => {
  await page.goto("/dataplanes?mesh=default&status=offline");
  await expect(page.getByRole("link", { name: "api-east-1" })).toBeVisible();
  await expect(page.getByRole("link", { name: "web-east-1" })).toHaveCount(0);
  await page.getByLabel("Status").selectOption("");
  await expect(page).toHaveURL(/\/dataplanes\?mesh=default$/);
  await expect(page.getByRole("link", { name: "web-east-1" })).toBeVisible();
  await screenshot(page, "dataplanes");
  await page.getByRole("link", { name: "api-west-1" }).click();
  await expect(page.getByRole("heading", { name: "Policies that apply" })).toBeVisible();
  await expect(page.getByRole("link", { name: "web-to-api" })).toBeVisible();
  await screenshot(page, "dataplane-detail");
});

test("topology draws the cross-zone permission edge, opens a side panel, collapses by zone and drills down", async ({ page }) => {
  await page.goto("/topology?mesh=default");
  await expect(page.locator(".topology-zone-title")).toHaveCount(2);
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);
  await expect(page.getByText("may talk · mTLS · via ingress")).toBeVisible();
  await page.locator(".topology-service", { hasText: "api" }).filter({ hasText: "1/1" }).click();
  await expect(page).toHaveURL(/selected=svc%3Awest%2Fapi/);
  const panel = page.getByRole("complementary", { name: "Service details" });
  await expect(panel.getByRole("link", { name: "api-west-1" })).toBeVisible();
  await screenshot(page, "topology");

  // The checkbox follows the URL, so its state changes once the navigation lands: click, then assert.
  await page.getByLabel("collapse by zone").click();
  await expect(page.getByLabel("collapse by zone")).toBeChecked();
  await expect(page).toHaveURL(/collapse=1/);
  await expect(page.locator(".topology-service-name")).toHaveText(["2 services", "1 service"]);
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);
  await page.locator(".topology-service", { hasText: "1 service" }).click();
  await expect(page).toHaveURL(/zone=west/);
  await expect(page.locator(".topology-service-name")).toHaveText(["api"]);
});

test("create a MeshTrafficPermission: field error, fix, preview, apply, listed", async ({ page }) => {
  await page.goto("/policies/edit?type=MeshTrafficPermission&mesh=default");
  const name = page.getByLabel("Name");
  await name.fill("Bad_Name");
  await expect(page.locator('.form-field [data-field="name"]')).toContainText("invalid characters");
  await expect(page.getByRole("button", { name: "Create policy" })).toBeDisabled();

  await name.fill("web-may-call-api");
  await page.getByLabel("Target kind").selectOption("MeshService");
  await page.getByLabel("Target service").fill("api");
  await expect(page.locator(".form-field .field-error")).toHaveCount(0);
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.getByRole("link", { name: "api-west-1" })).toBeVisible();
  await expect(preview.getByRole("link", { name: "api-east-1" })).toBeVisible();
  await expect(preview.getByRole("link", { name: "web-east-1" })).toHaveCount(0);
  await screenshot(page, "policy-editor");

  await page.getByRole("button", { name: "Create policy" }).click();
  await expect(page).toHaveURL(/name=web-may-call-api/);
  await page.goto("/policies?type=MeshTrafficPermission&mesh=default");
  await expect(page.getByRole("link", { name: "web-may-call-api" })).toBeVisible();
  await screenshot(page, "policies");
});

test("editing a policy someone else changed meanwhile warns before overwriting", async ({ page, request }) => {
  await page.goto("/policies/edit?type=MeshTrafficPermission&mesh=default&name=web-to-api");
  await expect(page.getByLabel("Action")).toHaveValue("Allow");
  const changedElsewhere = await request.put("http://127.0.0.1:5791/meshes/default/meshtrafficpermissions/web-to-api", {
    data: {
      type: "MeshTrafficPermission",
      mesh: "default",
      name: "web-to-api",
      labels: { changed: "elsewhere" },
      spec: { targetRef: { kind: "MeshService", name: "api" }, from: [{ targetRef: { kind: "MeshService", name: "web" }, default: { action: "Allow" } }] },
    },
  });
  expect(changedElsewhere.status()).toBe(200);
  await page.getByLabel("Action").selectOption("Deny");
  await expect(page.getByText("Someone changed this policy since you opened it")).toBeVisible();
  await expect(page.getByLabel("Diff against the stored version")).toContainText("-         action: Allow");
});
