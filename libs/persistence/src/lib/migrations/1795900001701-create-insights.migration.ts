import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The data science team's records: every team run as a report, every finding of it as an insight. */
export class CreateInsights1795900001701 implements MigrationInterface {
  name = 'CreateInsights1795900001701';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE analysis_reports (
        id uuid PRIMARY KEY,
        user_id text NOT NULL,
        conversation_id text NOT NULL,
        question text NOT NULL,
        window_label text NOT NULL,
        strategy text NOT NULL CHECK (strategy IN ('parallel', 'teamwork')),
        depth text NOT NULL CHECK (depth IN ('quick', 'standard', 'deep')),
        specialists jsonb NOT NULL,
        summary text NOT NULL,
        consensus text NOT NULL,
        conflicts jsonb NOT NULL,
        recommendations jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE insights (
        id uuid PRIMARY KEY,
        report_id uuid NOT NULL REFERENCES analysis_reports (id) ON DELETE CASCADE,
        position integer NOT NULL,
        user_id text NOT NULL,
        conversation_id text NOT NULL,
        specialist text NOT NULL CHECK (specialist IN ('behavioral', 'diagnostic', 'energy')),
        type text NOT NULL CHECK (type IN ('insight', 'concern', 'recommendation', 'data_quality_flag')),
        title text NOT NULL,
        description text NOT NULL,
        confidence double precision NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
        entities jsonb NOT NULL,
        evidence jsonb NOT NULL,
        automation_suggestion jsonb,
        cross_references jsonb,
        status text NOT NULL CHECK (status IN ('new', 'acknowledged', 'dismissed', 'acted_on')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Reads are one caller's records, newest first (insights also by status), and a report's insights.
    await queryRunner.query(`CREATE INDEX analysis_reports_user_created ON analysis_reports (user_id, created_at)`);
    await queryRunner.query(`CREATE INDEX insights_user_created ON insights (user_id, created_at)`);
    await queryRunner.query(`CREATE INDEX insights_user_status ON insights (user_id, status)`);
    await queryRunner.query(`CREATE INDEX insights_report ON insights (report_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE insights`);
    await queryRunner.query(`DROP TABLE analysis_reports`);
  }
}
