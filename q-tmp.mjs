import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const dir = process.argv[2];
await c.run(`create table e as select * from read_ndjson('${dir}/events.ndjson', columns={event_id:'varchar',event:'varchar',user_id:'varchar',anonymous_id:'varchar',session_id:'varchar',timestamp:'timestamp',properties:'json',context:'struct(app_version varchar, platform varchar, os varchar, browser varchar, device_type varchar, country varchar, locale varchar, page_path varchar)'})`);
for (const q of process.argv.slice(3)) {
  const r = await c.runAndReadAll(q);
  console.log('>>', q.slice(0, 100));
  console.table(r.getRowObjectsJson());
}
