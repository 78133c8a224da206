namespace Followup.Activities.Data;

public static class CallbackStatus
{
    public const string Pending = "Pending";
    public const string Done = "Done";
    public const string Unreachable = "Unreachable";
}
