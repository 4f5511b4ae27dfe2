import { Module } from '@nestjs/common';
import { AgentServiceModule } from '@aether/service-host';

/** The librarian agent as its own A2A service. */
@Module({ imports: [AgentServiceModule.forAgent('librarian')] })
export class AppModule {}
