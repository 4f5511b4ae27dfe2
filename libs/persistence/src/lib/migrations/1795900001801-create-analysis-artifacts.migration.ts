import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The pictures of a data science team run (charts), kept with its report and gone with it. */
export class CreateAnalysisArtifacts1795900001801 implements MigrationInterface {
  name = 'CreateAnalysisArtifacts1795900001801';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE analysis_artifacts (
        id uuid PRIMARY KEY,
        report_id uuid NOT NULL REFERENCES analysis_reports (id) ON DELETE CASCADE,
        position integer NOT NULL,
        user_id text NOT NULL,
        title text NOT NULL,
        media_type text NOT NULL CHECK (media_type IN ('image/svg+xml', 'image/png')),
        content bytea NOT NULL,
        access_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX analysis_artifacts_report ON analysis_artifacts (report_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE analysis_artifacts`);
  }
}
