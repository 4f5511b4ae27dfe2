import { Global, Module } from '@nestjs/common';
import { ShutdownState } from '@aether/core';

/** One `ShutdownState` per process, injectable anywhere (readiness endpoints read `isDraining`). */
@Global()
@Module({
  providers: [{ provide: ShutdownState, useFactory: () => new ShutdownState() }],
  exports: [ShutdownState],
})
export class ShutdownStateModule {}
