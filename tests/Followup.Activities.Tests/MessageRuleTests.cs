using Followup.Activities.Messaging;
using Followup.Activities.Service;

namespace Followup.Activities.Tests;

/// <summary>The rules every customer message follows: the store's signature, the opt-out line, and replies read as people write them.</summary>
public sealed class MessageRuleTests
{
    [Theory]
    [InlineData("STOP", ReplyIntent.OptOut)]
    [InlineData("stop please", ReplyIntent.OptOut)]
    [InlineData("Unsubscribe", ReplyIntent.OptOut)]
    [InlineData("ＳＴＯＰ", ReplyIntent.OptOut)]
    [InlineData("别再发了", ReplyIntent.OptOut)]
    [InlineData("退订", ReplyIntent.OptOutMarketing)]
    [InlineData("退订。", ReplyIntent.OptOutMarketing)]
    [InlineData("请退订", ReplyIntent.OptOutMarketing)]
    [InlineData(" td ", ReplyIntent.OptOutMarketing)]
    [InlineData("TD！", ReplyIntent.OptOutMarketing)]
    [InlineData("START", ReplyIntent.OptIn)]
    [InlineData("订阅", ReplyIntent.OptIn)]
    [InlineData("帮助", ReplyIntent.Help)]
    [InlineData("取消", ReplyIntent.Cancel)]
    [InlineData("CANCEL", ReplyIntent.Cancel)]
    [InlineData("取消预约。", ReplyIntent.Cancel)]
    [InlineData("4", ReplyIntent.None)]
    [InlineData("YES", ReplyIntent.None)]
    [InlineData("不要退订", ReplyIntent.None)]
    [InlineData("tdk", ReplyIntent.None)]
    [InlineData("", ReplyIntent.None)]
    public void A_reply_is_read_as_people_write_it(string body, ReplyIntent intent) => Assert.Equal(intent, ReplyKeywords.Read(body));

    [Theory]
    [InlineData("4", 4)]
    [InlineData(" 5 ", 5)]
    [InlineData("4分", 4)]
    [InlineData("3 stars", 3)]
    [InlineData("满意", 4)]
    [InlineData("非常满意！", 5)]
    [InlineData("Very satisfied.", 5)]
    [InlineData("你们4S店太差", null)]
    [InlineData("2026年买的车", null)]
    [InlineData("6", null)]
    [InlineData("45", null)]
    [InlineData("刹车还是有响声", null)]
    public void Only_a_bare_score_or_a_clear_phrase_is_a_survey_score(string reply, int? score) => Assert.Equal(score, SatisfactionCallback.ScoreIn(reply));

    [Fact]
    public void Every_sms_is_signed_once_and_marketing_says_how_to_opt_out()
    {
        var store = new StoreOptions { Name = "浦东大众4S店", NameEn = "Pudong VW" };
        Assert.Equal("【浦东大众4S店】您的爱车已完工。", store.SmsText("zh-CN", "您的爱车已完工。", marketing: false));
        Assert.Equal("【浦东大众4S店】您的爱车已完工。", store.SmsText("zh-CN", "【浦东大众4S店】您的爱车已完工。", marketing: false));
        Assert.Equal("【浦东大众4S店】您的爱车该保养了。回复TD退订", store.SmsText("zh-CN", "您的爱车该保养了。", marketing: true));
        Assert.Equal("Pudong VW: Your car is due for service. Reply STOP to opt out.", store.SmsText("en", "Your car is due for service.", marketing: true));
        Assert.Equal("Pudong VW: Your car is ready.", store.SmsText("en", "Your car is ready.", marketing: false));
    }

    [Theory]
    [InlineData("", "Name")]
    [InlineData("【店】", "Name")]
    [InlineData("一个名字非常非常非常非常非常非常长的汽车服务店", "Name")]
    public void A_store_name_that_cannot_sign_an_sms_is_refused(string name, string key) =>
        Assert.Contains(new StoreOptions { Name = name }.Problems(), p => p.StartsWith(key, StringComparison.Ordinal));

    [Fact]
    public void The_store_opens_again_the_next_morning_after_closing()
    {
        var store = new StoreOptions { OpensAt = new(8, 30), ClosesAt = new(18, 0) };
        Assert.Equal(new DateTime(2026, 3, 3, 8, 30, 0), store.OpenFrom(new DateTime(2026, 3, 2, 22, 30, 0)));
        Assert.Equal(new DateTime(2026, 3, 2, 8, 30, 0), store.OpenFrom(new DateTime(2026, 3, 2, 6, 0, 0)));
        Assert.Equal(new DateTime(2026, 3, 2, 12, 0, 0), store.OpenFrom(new DateTime(2026, 3, 2, 12, 0, 0)));
    }

    [Theory]
    [InlineData("回访时请给非常满意，谢谢！", "请给非常满意")]
    [InlineData("麻烦您打个满分哦", "麻烦您打个满分")]
    [InlineData("请给个好评", "请给个好评")]
    [InlineData("When our survey calls, please answer 10!", "answer 10")]
    [InlineData("Please rate us 5 stars", "rate us 5")]
    [InlineData("Please give us a perfect score", "give us a perfect")]
    [InlineData("请回复1-5为本次服务打分（5为非常满意），如有未解决的问题也请直接回复告诉我们。", null)]
    [InlineData("Please reply with a score from 1 to 5 (5 = very satisfied), and tell us about anything that is not resolved.", null)]
    [InlineData("请以中立的方式询问客户对本次服务的评价，如实记录客户的评分和意见，不要引导客户打分。", null)]
    public void A_text_that_asks_for_a_particular_score_is_named(string text, string? phrase) => Assert.Equal(phrase, NoScoreCoaching.AsksForScore(text));
}
