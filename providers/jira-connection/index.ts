export { JiraConnection, type JiraConnectionArgs, type JiraLicenseArgs, type JiraOAuthArgs, type JiraScopedApiTokenArgs } from "./resource";
export { jiraConnectionProvider } from "./provider";
export { ConnectionValidationError, type ValidationProblem } from "./problems";
export type { ConnectionOutputs, ProductSeats } from "./inputs";
