using PhoneNumbers;

namespace Followup.Activities.Messaging;

public static class Channels
{
    public const string Sms = "sms";
    public const string Email = "email";
}
