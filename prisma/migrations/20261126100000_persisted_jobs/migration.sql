-- CreateTable
CREATE TABLE "compaction_runs" (
    "id" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "duration_ms" INTEGER,
    "files_removed" INTEGER NOT NULL DEFAULT 0,
    "files_added" INTEGER NOT NULL DEFAULT 0,
    "files_vacuumed" INTEGER NOT NULL DEFAULT 0,
    "tables" JSONB NOT NULL DEFAULT '[]',
    "interrupted" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,

    CONSTRAINT "compaction_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_jobs" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "created_by_id" TEXT,
    "created_by_email" TEXT NOT NULL,
    "created_by_ip" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "upload_ids" TEXT[],
    "files" JSONB NOT NULL,
    "bytes_read" BIGINT NOT NULL DEFAULT 0,
    "bytes_total" BIGINT NOT NULL DEFAULT 0,
    "accepted" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "current_file" TEXT,
    "summary" JSONB,
    "error" TEXT,

    CONSTRAINT "import_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "compaction_runs_created_at_idx" ON "compaction_runs"("created_at");

-- CreateIndex
CREATE INDEX "import_jobs_workspace_id_created_at_idx" ON "import_jobs"("workspace_id", "created_at");

-- One queued or running compaction at a time: two triggers at once make one run.
CREATE UNIQUE INDEX "compaction_runs_one_active" ON "compaction_runs"((true)) WHERE "status" IN ('queued', 'running');

-- AddForeignKey
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
