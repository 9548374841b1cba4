// data procedures (filled by the ingestion work; see issue 3).
import { createTRPCRouter } from '../trpc';

export const dataRouter = createTRPCRouter({});
