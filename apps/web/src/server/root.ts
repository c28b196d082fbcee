import { createCpClient } from "./cp-client";
import { readServerEnv } from "./env";
import { dataplanesRouter } from "./routers/dataplanes";
import { meshesRouter } from "./routers/meshes";
import { overviewRouter } from "./routers/overview";
import { policiesRouter } from "./routers/policies";
import { servicesRouter } from "./routers/services";
import { topologyRouter } from "./routers/topology";
import { zonesRouter } from "./routers/zones";
import { createCallerFactory, router, type Context } from "./trpc";

export const appRouter = router({
  overview: overviewRouter,
  zones: zonesRouter,
  meshes: meshesRouter,
  services: servicesRouter,
  dataplanes: dataplanesRouter,
  policies: policiesRouter,
  topology: topologyRouter,
});
export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);

/** The context of a request: a client for the CP named by the environment. */
export function createContext(env = readServerEnv()): Context {
  return { cp: createCpClient(env.cpApiUrl, env.cpApiToken) };
}
