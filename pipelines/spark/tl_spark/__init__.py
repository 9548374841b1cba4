"""The Spark Structured Streaming lake writer: Kafka events topic → validate → Delta bronze.

The high-volume alternative to the app's own Kafka lake writer
(server/ingest/kafka/kafka-lake-writer.ts): it reads the same topic, writes the same Delta tables
(bronze.events partitioned by event_date, bronze.identifies) with the same schema, and sends what
it cannot write to the same dead-letter topic. `schema` holds the tables' schemas, `validate` the
parsing and validation (pure column expressions), `offsets` the consumer-group bookkeeping and
`job` the streaming query.
"""
