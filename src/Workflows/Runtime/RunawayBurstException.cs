namespace Followup.Workflows.Runtime;

public sealed class RunawayBurstException(int limit, string activity)
    : Exception($"The workflow ran {limit} activities without waiting once (the limit, Engine:MaxActivityExecutionsPerBurst) and was stopped before '{activity}': a loop in which no step waits?");
