export { JiraConnection, type JiraConnectionArgs } from "./resource";
export { jiraConnectionProvider } from "./provider";
export { ConnectionValidationError, type ValidationProblem } from "./problems";
export type { ConnectionOutputs, ProductSeats } from "./inputs";
