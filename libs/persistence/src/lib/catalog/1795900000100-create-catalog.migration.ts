import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The Librarian's catalog of the home and its discovery sessions. */
export class CreateCatalog1795900000100 implements MigrationInterface {
  name = 'CreateCatalog1795900000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ha_floors (
        floor_id text PRIMARY KEY,
        name text NOT NULL,
        level integer,
        aliases jsonb NOT NULL,
        content_hash text NOT NULL,
        last_synced_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ha_areas (
        area_id text PRIMARY KEY,
        name text NOT NULL,
        floor_id text,
        aliases jsonb NOT NULL,
        icon text,
        content_hash text NOT NULL,
        last_synced_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ha_devices (
        device_id text PRIMARY KEY,
        name text NOT NULL,
        manufacturer text,
        model text,
        area_id text,
        via_device_id text,
        sw_version text,
        disabled_by text,
        labels jsonb NOT NULL,
        content_hash text NOT NULL,
        last_synced_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX idx_ha_devices_area ON ha_devices (area_id)`);
    // No foreign keys to areas/devices: HA's registries may reference ids that no longer exist.
    await queryRunner.query(`
      CREATE TABLE ha_entities (
        entity_id text PRIMARY KEY,
        domain text NOT NULL,
        name text NOT NULL,
        state text NOT NULL,
        attributes jsonb NOT NULL,
        area_id text,
        device_id text,
        platform text,
        device_class text,
        unit text,
        labels jsonb NOT NULL,
        content_hash text NOT NULL,
        last_changed timestamptz,
        last_synced_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX idx_ha_entities_domain ON ha_entities (domain)`);
    await queryRunner.query(`CREATE INDEX idx_ha_entities_area ON ha_entities (area_id)`);
    await queryRunner.query(`CREATE INDEX idx_ha_entities_device ON ha_entities (device_id)`);
    await queryRunner.query(`
      CREATE TABLE ha_automations (
        entity_id text PRIMARY KEY,
        automation_id text,
        alias text NOT NULL,
        description text,
        state text NOT NULL,
        mode text,
        trigger_types jsonb NOT NULL,
        config jsonb,
        last_triggered timestamptz,
        content_hash text NOT NULL,
        last_synced_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ha_scripts (
        entity_id text PRIMARY KEY,
        object_id text NOT NULL,
        alias text NOT NULL,
        state text NOT NULL,
        mode text,
        config jsonb,
        last_triggered timestamptz,
        content_hash text NOT NULL,
        last_synced_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ha_scenes (
        entity_id text PRIMARY KEY,
        scene_id text,
        name text NOT NULL,
        state text NOT NULL,
        config jsonb,
        content_hash text NOT NULL,
        last_synced_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE discovery_sessions (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        triggered_by text NOT NULL,
        status text NOT NULL,
        domain_filter text,
        entities_found integer NOT NULL DEFAULT 0,
        devices_found integer NOT NULL DEFAULT 0,
        areas_found integer NOT NULL DEFAULT 0,
        automations_found integer NOT NULL DEFAULT 0,
        scripts_found integer NOT NULL DEFAULT 0,
        scenes_found integer NOT NULL DEFAULT 0,
        counts jsonb NOT NULL,
        domain_counts jsonb NOT NULL,
        error text,
        started_at timestamptz NOT NULL,
        finished_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX idx_discovery_sessions_kind_started ON discovery_sessions (kind, started_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['discovery_sessions', 'ha_scenes', 'ha_scripts', 'ha_automations', 'ha_entities', 'ha_devices', 'ha_areas', 'ha_floors']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
