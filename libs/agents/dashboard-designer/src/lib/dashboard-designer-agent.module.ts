import { Module } from '@nestjs/common';
import { DashboardDesignerAgent } from './dashboard-designer.agent';

/** The Dashboard Designer agent; constructing it does no I/O. */
@Module({ providers: [DashboardDesignerAgent] })
export class DashboardDesignerAgentModule {}
