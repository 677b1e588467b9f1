import { Column, CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Columns every editable record carries: id, optimistic version, who created it, when. */
export abstract class RecordEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Incremented on every update; an update naming a stale version gets 409. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
