import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { COORDINATE_PRECISIONS, LOCATION_KINDS, sqlList } from '../common/domain.js';

@Entity('locations')
@Check('ck_locations_kind', `kind IN (${sqlList(LOCATION_KINDS)})`)
@Check('ck_locations_precision', `precision IN (${sqlList(COORDINATE_PRECISIONS)})`)
@Check('ck_locations_lat', `lat BETWEEN -90 AND 90`)
@Check('ck_locations_lon', `lon BETWEEN -180 AND 180`)
@Check('ck_locations_latlon_pair', `(lat IS NULL) = (lon IS NULL)`)
@Check('ck_locations_not_own_parent', `parent_id <> id`)
@Check('ck_locations_name', `length(btrim(name_en)) > 0`)
@Index('ix_locations_parent', ['parentId'])
@Index('ix_locations_path', { synchronize: false })
@Index('ix_locations_names_norm', { synchronize: false })
@Index('ix_locations_names_trgm', { synchronize: false })
export class LocationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => LocationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id' })
  parent?: LocationEntity;

  @Column({ type: 'text' })
  nameEn: string;

  @Column({ type: 'text', nullable: true })
  nameFa: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  variantsEn: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  variantsFa: string[];

  /** Every name and variant, normalised (common/persian.ts): what `location=` matches. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  namesNorm: string[];

  /** Ids from the root to this place, itself included: a subtree is `path @> ARRAY[id]`. */
  @Column({ type: 'uuid', array: true })
  path: string[];

  @Column({ type: 'integer' })
  depth: number;

  /** The province and the city this place lies in (or is): kept by a trigger, for counts. */
  @Column({ type: 'uuid', nullable: true, insert: false, update: false })
  provinceId: string | null;

  @Column({ type: 'uuid', nullable: true, insert: false, update: false })
  cityId: string | null;

  @Column({ type: 'double precision', nullable: true })
  lat: number | null;

  @Column({ type: 'double precision', nullable: true })
  lon: number | null;

  @Column({ type: 'text', nullable: true })
  precision: string | null;

  @Column({ type: 'integer', default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
