export { JiraConnector, JIRA_CONNECTOR_TYPE } from "./jira-connector";
export { JiraConnectorArgsError, DEFAULT_SCHEDULE, DEFAULT_TIMEZONE, type JiraConnectorArgs } from "./args";
export { SharedConnectorStorage, SHARED_STORAGE_TYPE, type SharedConnectorStorageArgs } from "./shared-storage";
export { DuplicateConnectorError } from "./seed-rules";
export { staggeredSchedules, staggeredSlot, type StaggerEntry } from "./schedule-stagger";
export { ConnectorFleet, CONNECTOR_FLEET_TYPE } from "./connector-fleet";
export { type ConnectorFleetArgs } from "./fleet-args";
