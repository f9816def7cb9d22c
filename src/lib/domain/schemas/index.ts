export * from './common.js';
export * from './survey-record.js';
export * from './site.js';
export * from './photo.js';
