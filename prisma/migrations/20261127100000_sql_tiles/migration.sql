-- AlterTable
ALTER TABLE "saved_queries" ADD COLUMN     "chart" JSONB,
ADD COLUMN     "params" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "dashboard_tiles" ADD COLUMN     "saved_query_id" TEXT;

-- CreateIndex
CREATE INDEX "dashboard_tiles_saved_query_id_idx" ON "dashboard_tiles"("saved_query_id");

-- AddForeignKey
ALTER TABLE "dashboard_tiles" ADD CONSTRAINT "dashboard_tiles_saved_query_id_fkey" FOREIGN KEY ("saved_query_id") REFERENCES "saved_queries"("id") ON DELETE CASCADE ON UPDATE CASCADE;
