/** HA's `ServiceNotFound`: REST 400 `{"message": "Service x.y not found."}`, WS `not_found`. */
export class ServiceNotFoundError extends Error {
  constructor(readonly domain: string, readonly service: string) {
    super(`Service ${domain}.${service} not found.`);
    this.name = 'ServiceNotFoundError';
  }
}

/** Service data HA's schema refuses (`vol.Invalid`): REST 400, WS `invalid_format`. */
export class ServiceDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceDataError';
  }
}

/** A valid call the entity cannot honour (`ServiceValidationError`): REST 400, WS `service_validation_error`. */
export class ServiceValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceValidationError';
  }
}
