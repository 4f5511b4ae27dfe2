import { Module } from '@nestjs/common';
import { DeveloperAgent } from './developer.agent';

/** The Developer agent; constructing it does no I/O. */
@Module({ providers: [DeveloperAgent] })
export class DeveloperAgentModule {}
