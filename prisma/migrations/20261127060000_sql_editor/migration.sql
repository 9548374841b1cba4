-- CreateTable
CREATE TABLE "saved_queries" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "owner_id" TEXT,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "folder" TEXT NOT NULL DEFAULT '',
    "sql" TEXT NOT NULL,
    "shared" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "saved_queries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "query_runs" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "sql" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "row_count" INTEGER,
    "truncated" BOOLEAN NOT NULL DEFAULT false,
    "duration_ms" INTEGER,
    "error" TEXT,
    "saved_query_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "query_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "saved_queries_workspace_id_updated_at_idx" ON "saved_queries"("workspace_id", "updated_at");

-- CreateIndex
CREATE INDEX "query_runs_workspace_id_user_id_created_at_idx" ON "query_runs"("workspace_id", "user_id", "created_at");

-- CreateIndex
CREATE INDEX "query_runs_saved_query_id_idx" ON "query_runs"("saved_query_id");

-- AddForeignKey
ALTER TABLE "saved_queries" ADD CONSTRAINT "saved_queries_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "saved_queries" ADD CONSTRAINT "saved_queries_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "query_runs" ADD CONSTRAINT "query_runs_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "query_runs" ADD CONSTRAINT "query_runs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "query_runs" ADD CONSTRAINT "query_runs_saved_query_id_fkey" FOREIGN KEY ("saved_query_id") REFERENCES "saved_queries"("id") ON DELETE SET NULL ON UPDATE CASCADE;
