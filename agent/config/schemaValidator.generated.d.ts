// The standalone validator scripts/generate-schema-validator.mjs writes next to this file.
import type { ValidateFunction } from 'ajv';

export declare const validate: ValidateFunction;
