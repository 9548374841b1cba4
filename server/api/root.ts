import { createCallerFactory, createTRPCRouter } from './trpc';
import { adminRouter } from './routers/admin';
import { invitationRouter } from './routers/invitation';
import { meRouter } from './routers/me';
import { systemRouter } from './routers/system';
import { dataRouter } from './routers/data';
import { ingestionRouter } from './routers/ingestion';
import { pipelinesRouter } from './routers/pipelines';
import { catalogRouter } from './routers/catalog';
import { askRouter } from './routers/ask';
import { insightsRouter } from './routers/insights';
import { savedInsightsRouter } from './routers/saved-insights';
import { dashboardsRouter } from './routers/dashboards';
import { cohortsRouter } from './routers/cohorts';
import { sqlRouter } from './routers/sql';

export const appRouter = createTRPCRouter({
  system: systemRouter,
  me: meRouter,
  invitation: invitationRouter,
  admin: adminRouter,
  data: dataRouter,
  ingestion: ingestionRouter,
  pipelines: pipelinesRouter,
  catalog: catalogRouter,
  ask: askRouter,
  insights: insightsRouter,
  savedInsights: savedInsightsRouter,
  dashboards: dashboardsRouter,
  cohorts: cohortsRouter,
  sql: sqlRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
