using PhoneNumbers;

namespace Followup.Activities.Messaging;

public static class Channels
{
    public const string Sms = "sms";
    public const string Email = "email";

    /// <summary>The consent key of a channel's marketing (reminders, surveys): opting out of it leaves service messages going.</summary>
    public static string Marketing(string channel) => channel + ":marketing";
}
