import { Module } from '@nestjs/common';
import { GatewayHostModule } from '@aether/service-host';

/** The OpenAI-compatible gateway; hosts the agents in-process unless DEPLOYMENT_MODE says otherwise. */
@Module({ imports: [GatewayHostModule.forRoot()] })
export class AppModule {}
