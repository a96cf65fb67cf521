import { configureLogging } from '../../src/shared/logger';

// Tests assert on behaviour, not on log lines; keep the runner's output readable.
configureLogging({ level: 'silent' });
