import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { sqlList } from '../common/domain.js';
import { UserEntity } from '../users/user.entity.js';
import { VictimEntity } from '../victims/victim.entity.js';

/** What a reviewer decided about two records (or a whole cluster, pair by pair). */
export const DUPLICATE_DECISIONS = ['same', 'different', 'unsure'] as const;
export type DuplicateDecision = (typeof DUPLICATE_DECISIONS)[number];

/**
 * A cluster's state: open (proposed, nobody decided), unsure (a reviewer could not tell), same
 * (merged), different (the records are different people). Open and unsure clusters are the
 * "unresolved clusters of likely duplicates" that the documented count counts once.
 */
export const CLUSTER_STATES = ['open', 'unsure', 'same', 'different'] as const;
export type ClusterState = (typeof CLUSTER_STATES)[number];

/** Records the linkage job found to be likely one person. */
@Entity('duplicate_clusters')
@Check('ck_duplicate_clusters_state', `state IN (${sqlList(CLUSTER_STATES)})`)
@Check('ck_duplicate_clusters_score', `score >= 0 AND score <= 1`)
@Index('ix_duplicate_clusters_state_score', ['state', 'score'])
export class DuplicateClusterEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', default: 'open' })
  state: string;

  /** The best pair score inside the cluster. */
  @Column({ type: 'real' })
  score: number;

  @Column({ type: 'integer' })
  size: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'uuid', nullable: true })
  decidedBy: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'decided_by' })
  decider?: UserEntity;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;
}

/** A record in a cluster. */
@Entity('duplicate_cluster_members')
@Index('ix_duplicate_cluster_members_victim', ['victimId'])
export class DuplicateMemberEntity {
  @PrimaryColumn({ type: 'uuid' })
  clusterId: string;

  @ManyToOne(() => DuplicateClusterEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cluster_id' })
  cluster?: DuplicateClusterEntity;

  @PrimaryColumn({ type: 'uuid' })
  victimId: string;

  @ManyToOne(() => VictimEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'victim_id' })
  victim?: VictimEntity;
}

/** A scored pair inside a cluster, with the evidence (what agreed, what differed). */
@Entity('duplicate_pairs')
@Check('ck_duplicate_pairs_order', `victim_a < victim_b`)
@Check('ck_duplicate_pairs_score', `score >= 0 AND score <= 1`)
export class DuplicatePairEntity {
  @PrimaryColumn({ type: 'uuid' })
  clusterId: string;

  @ManyToOne(() => DuplicateClusterEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cluster_id' })
  cluster?: DuplicateClusterEntity;

  @PrimaryColumn({ type: 'uuid' })
  victimA: string;

  @ManyToOne(() => VictimEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'victim_a' })
  a?: VictimEntity;

  @PrimaryColumn({ type: 'uuid' })
  victimB: string;

  @ManyToOne(() => VictimEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'victim_b' })
  b?: VictimEntity;

  @Column({ type: 'real' })
  score: number;

  @Column({ type: 'jsonb' })
  evidence: object;
}

/**
 * A reviewer's decision on two records: remembered, so that a pair decided "different" is never
 * proposed again, and carried by the export (by the records' ids) into another database.
 */
@Entity('duplicate_decisions')
@Check('ck_duplicate_decisions_order', `victim_a < victim_b`)
@Check('ck_duplicate_decisions_decision', `decision IN (${sqlList(DUPLICATE_DECISIONS)})`)
@Index('ux_duplicate_decisions_pair', ['victimA', 'victimB'], { unique: true })
@Index('ix_duplicate_decisions_b', ['victimB'])
export class DuplicateDecisionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  victimA: string;

  @ManyToOne(() => VictimEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'victim_a' })
  a?: VictimEntity;

  @Column({ type: 'uuid' })
  victimB: string;

  @ManyToOne(() => VictimEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'victim_b' })
  b?: VictimEntity;

  @Column({ type: 'text' })
  decision: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'uuid', nullable: true })
  decidedBy: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'decided_by' })
  decider?: UserEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  decidedAt: Date;
}
