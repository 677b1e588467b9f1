import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { UsersModule } from '../users/users.module.js';
import { WorkflowModule } from '../workflow/workflow.module.js';
import { AuthGuard } from './auth.guard.js';
import { LoginController } from './login.controller.js';

/**
 * Accounts, tokens, the global guard and the review workflow: registered once in features.ts.
 * APP_GUARD makes the guard global wherever this module sits.
 */
@Module({
  imports: [UsersModule, WorkflowModule],
  controllers: [LoginController],
  providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
})
export class AuthModule {}
