/** The one error model lives with the task commands (@vitranslator/tasks/errors). */
export * from "@vitranslator/tasks/errors";
