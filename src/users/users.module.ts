import { Module } from '@nestjs/common';
import { TokensService } from './tokens.service.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  controllers: [UsersController],
  providers: [UsersService, TokensService],
  exports: [UsersService, TokensService],
})
export class UsersModule {}
