//! The canonical fields and the header names that mean them, in English and Chinese.
//!
//! Headers are compared after [`squash`]: lower case, with spaces, punctuation and brackets
//! removed, so `Likes (Avg.)`, `likes_avg` and `LIKES-AVG` all read `likesavg`. Within a field the
//! aliases are in priority order: when a file has two columns that mean the same field, the one
//! whose alias comes first wins (`category` before `channel_type`).

use serde::Serialize;

/// A field the method knows how to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    AccountId,
    AccountName,
    Platform,
    Niche,
    Followers,
    PostId,
    Title,
    PublishedAt,
    Date,
    Likes,
    Comments,
    Shares,
    Collects,
    Views,
    Sponsored,
    Price,
    PostsCount,
    AvgViews,
    AvgLikes,
    AvgComments,
    AvgEngagement,
    EarningsLow,
    EarningsHigh,
    /// Followers gained in the last 30 days (近30天涨粉), a recent-window column.
    FollowersGained30d,
    Format,
    Tags,
    /// An account's own description of itself (bio, 简介, 签名): read only to file an account
    /// under niches named by keywords.
    Bio,
}

/// How a field's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Text,
    /// A non-negative count with units (万, k, M ...).
    Count,
    /// An amount of money; non-negative.
    Money,
    Date,
    Flag,
}

impl Field {
    pub const ALL: [Field; 27] = [
        Field::AccountId,
        Field::AccountName,
        Field::Platform,
        Field::Niche,
        Field::Followers,
        Field::PostId,
        Field::Title,
        Field::PublishedAt,
        Field::Date,
        Field::Likes,
        Field::Comments,
        Field::Shares,
        Field::Collects,
        Field::Views,
        Field::Sponsored,
        Field::Price,
        Field::PostsCount,
        Field::AvgViews,
        Field::AvgLikes,
        Field::AvgComments,
        Field::AvgEngagement,
        Field::EarningsLow,
        Field::EarningsHigh,
        Field::FollowersGained30d,
        Field::Format,
        Field::Tags,
        Field::Bio,
    ];

    /// Where the field is in [`Field::ALL`] (its place in the declaration).
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Field::AccountId => "account_id",
            Field::AccountName => "account_name",
            Field::Platform => "platform",
            Field::Niche => "niche",
            Field::Followers => "followers",
            Field::PostId => "post_id",
            Field::Title => "title",
            Field::PublishedAt => "published_at",
            Field::Date => "date",
            Field::Likes => "likes",
            Field::Comments => "comments",
            Field::Shares => "shares",
            Field::Collects => "collects",
            Field::Views => "views",
            Field::Sponsored => "sponsored",
            Field::Price => "price",
            Field::PostsCount => "posts_count",
            Field::AvgViews => "avg_views",
            Field::AvgLikes => "avg_likes",
            Field::AvgComments => "avg_comments",
            Field::AvgEngagement => "avg_engagement",
            Field::EarningsLow => "earnings_low",
            Field::EarningsHigh => "earnings_high",
            Field::FollowersGained30d => "followers_gained_30d",
            Field::Format => "format",
            Field::Tags => "tags",
            Field::Bio => "bio",
        }
    }

    pub fn from_name(name: &str) -> Option<Field> {
        let wanted = squash(name);
        Field::ALL.into_iter().find(|f| squash(f.name()) == wanted)
    }

    /// The largest value a real account or post can hold in this field; a value above it is
    /// implausible: counted, warned, and treated as missing (METHOD.md §1, Limits). People's
    /// actions are bounded by the people there are (8.2 billion in 2025, UN World Population
    /// Prospects 2024): followers, likes, comments, shares and collects by 10¹⁰, an average of
    /// several of them by 4 × 10¹⁰. Views can repeat: the most-viewed video had about 1.6 × 10¹⁰
    /// in 2025, so views stop at 10¹². An account's post count stops at 10⁸, money at 10¹⁴ (in
    /// any currency, the rupiah included). `None` for fields that are not numbers.
    pub fn ceiling(self) -> Option<f64> {
        match self {
            Field::Followers
            | Field::Likes
            | Field::Comments
            | Field::Shares
            | Field::Collects
            | Field::FollowersGained30d => Some(1e10),
            Field::AvgLikes | Field::AvgComments => Some(1e10),
            Field::AvgEngagement => Some(4e10),
            Field::Views | Field::AvgViews => Some(1e12),
            Field::PostsCount => Some(1e8),
            Field::Price | Field::EarningsLow | Field::EarningsHigh => Some(1e14),
            _ => None,
        }
    }

    /// A count of people's actions or of posts: a whole number (an average of several is not).
    pub fn is_whole_count(self) -> bool {
        matches!(
            self,
            Field::Followers
                | Field::Likes
                | Field::Comments
                | Field::Shares
                | Field::Collects
                | Field::Views
                | Field::PostsCount
                | Field::FollowersGained30d
        )
    }

    pub fn kind(self) -> ValueKind {
        match self {
            Field::Followers
            | Field::Likes
            | Field::Comments
            | Field::Shares
            | Field::Collects
            | Field::Views
            | Field::PostsCount
            | Field::AvgViews
            | Field::AvgLikes
            | Field::AvgComments
            | Field::AvgEngagement
            | Field::FollowersGained30d => ValueKind::Count,
            Field::Price | Field::EarningsLow | Field::EarningsHigh => ValueKind::Money,
            Field::PublishedAt | Field::Date => ValueKind::Date,
            Field::Sponsored => ValueKind::Flag,
            _ => ValueKind::Text,
        }
    }

    /// Header names meaning this field, squashed, best first.
    #[rustfmt::skip]
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::AccountId => &[
                "accountid", "userid", "uid", "mid", "creatorhash", "authorid", "channelid", "upid", "secuid",
                "youtubechannel", "用户id", "账号id", "达人id", "博主id", "作者id", "up主id", "抖音号", "小红书号",
            ],
            Field::AccountName => &[
                "accountname", "account", "nickname", "author", "uname", "username", "accountusername", "name",
                "instagramname", "channelinfo", "channelname", "channel", "youtuber", "youtubername", "tiktokername",
                "tiktokname", "creator", "creatorname", "influencer", "upname", "owner", "ownername", "up", "昵称", "账号", "账号名称", "账号昵称",
                "用户名", "用户昵称", "达人名称", "达人昵称", "博主", "博主昵称", "作者", "up主", "频道",
            ],
            Field::Platform => &["platform", "平台", "渠道", "sourceplatform", "site"],
            Field::Niche => &[
                "niche", "赛道", "category", "category1", "categories", "领域", "所属领域", "垂类", "分类", "类目",
                "内容分类", "行业", "typename", "keyword", "sourcekeyword", "关键词", "搜索关键词", "搜索词", "topic",
                "vertical", "达人类型", "channeltype",
            ],
            Field::Followers => &[
                "followers", "follower", "followerscount", "followercount", "fans", "fanscount", "fansnum", "totalfans",
                "subscribers", "subscribercount", "subs", "粉丝数", "粉丝", "粉丝数量", "粉丝量", "粉丝总数", "订阅数",
                "订阅者", "关注者", "关注者数",
            ],
            Field::PostId => &[
                "postid", "noteid", "awemeid", "bvid", "videoid", "tweetid", "contentid", "mediaid", "itemid", "aid",
                "笔记id", "作品id", "视频id", "内容id", "文章id", "稿件id",
            ],
            Field::Title => &[
                "title", "videotitle", "posttitle", "标题", "笔记标题", "作品名称", "作品标题", "视频标题", "文章标题",
                "视频描述", "posttext", "tweettext", "text", "desc", "description", "描述", "内容",
            ],
            Field::PublishedAt => &[
                "publishedat", "publishtime", "published", "publishdate", "pubdate", "createtime", "createdat",
                "posttime", "time", "videopublishtime", "createdatetime", "发布时间", "首次发布时间", "上传时间",
                "发布日期", "发文时间", "创建时间",
            ],
            Field::Date => &["date", "日期", "snapshotdate", "day", "统计日期", "数据日期", "记录日期"],
            Field::Likes => &[
                "likes", "like", "likecount", "likedcount", "likescount", "diggcount", "totallikes", "点赞", "点赞数",
                "点赞量", "点赞数量", "获赞", "赞", "喜欢",
            ],
            Field::Comments => &[
                "comments", "comment", "commentcount", "commentscount", "commentcounts", "videocomment", "review",
                "replies", "reply", "replycount", "totalcomments", "commentsadded", "评论", "评论数", "评论量", "评论数量",
            ],
            Field::Shares => &[
                "shares", "share", "sharecount", "sharedcount", "sharescount", "videosharecount", "reposts", "retweets",
                "forwards", "totalshares", "分享", "分享数", "分享量", "分享数量", "转发", "转发数", "转发量",
            ],
            Field::Collects => &[
                "collects", "collect", "collectedcount", "collectcount", "favorites", "favorite", "favourites", "favoritecount",
                "videofavoritecount", "saves", "bookmarks", "addtofavorites", "收藏", "收藏数", "收藏量", "收藏数量",
            ],
            Field::Views => &[
                "views", "view", "viewcount", "viewscount", "videoviews", "totalviews", "play", "plays", "playcount",
                "videoplaycount", "播放", "播放量", "播放数", "播放次数", "阅读", "阅读量", "阅读数", "观看", "观看量",
                "观看数", "观看次数", "浏览量", "impressions", "曝光", "曝光量", "展现量",
            ],
            Field::Sponsored => &[
                "sponsored", "issponsored", "paidpartnership", "branded", "isad", "ad", "商单", "是否商单", "商业笔记",
                "是否商业笔记", "广告", "是否广告", "合作",
            ],
            Field::Price => &[
                "price", "priceperpost", "postprice", "fee", "quote", "priceyuan", "pricecny", "priceusd", "报价",
                "报价元", "博主报价", "图文报价", "视频报价", "价格", "价格元", "刊例价",
            ],
            Field::PostsCount => &[
                "postscount", "posts", "postcount", "uploads", "videouploads", "videoscount", "videocount", "mediacount",
                "notescount", "作品数", "笔记数", "视频数", "作品数量", "笔记数量", "发文数",
            ],
            Field::AvgViews => &["avgviews", "viewsavg", "averageviews", "平均播放", "平均播放量", "平均阅读", "平均观看"],
            Field::AvgLikes => &["avglikes", "likesavg", "averagelikes", "平均点赞", "平均点赞数"],
            Field::AvgComments => &["avgcomments", "commentsavg", "averagecomments", "平均评论", "平均评论数"],
            Field::AvgEngagement => &[
                "avgengagement", "engavg", "engagementaverage", "engagementaveragevalues", "averageengagement",
                "avginteractions", "平均互动", "平均互动量", "篇均互动",
            ],
            Field::EarningsLow => &["lowestmonthlyearnings", "minmonthlyearnings", "earningslow"],
            Field::EarningsHigh => &["highestmonthlyearnings", "maxmonthlyearnings", "earningshigh"],
            Field::FollowersGained30d => &[
                "subscribersforlast30days", "followersgained30d", "followersgained", "newfollowers30d",
                "近30天涨粉", "近30日涨粉", "30天涨粉", "月涨粉", "近30天新增粉丝", "新增粉丝",
            ],
            Field::Format => &[
                "format", "type", "posttype", "awemetype", "videotype", "contenttype", "mediatype", "体裁", "笔记类型",
                "作品类型", "内容类型",
            ],
            Field::Tags => &["tags", "tag", "taglist", "hashtags", "标签", "话题"],
            Field::Bio => &[
                "bio", "biography", "userbio", "accountbio", "about", "channeldescription", "userdescription",
                "signature", "sign", "intro", "introduction", "简介", "个人简介", "账号简介", "用户简介", "签名",
                "个性签名", "频道简介",
            ],
        }
    }
}

/// Lower case, without whitespace, punctuation, brackets or symbols; CJK and digits kept.
pub fn squash(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field a header names, and how good a match it is (lower is better), if any.
pub fn field_for(header: &str) -> Option<(Field, usize)> {
    let key = squash(header);
    if key.is_empty() {
        return None;
    }
    Field::ALL
        .into_iter()
        .find_map(|f| f.aliases().iter().position(|a| *a == key).map(|rank| (f, rank)))
}

/// Whether a header cell names a known field (used to find the header row under banners).
pub fn is_known_header(header: &str) -> bool {
    field_for(header).is_some()
}

/// The canonical names [`platform_name`] gives the platforms it knows.
pub const KNOWN_PLATFORMS: [&str; 12] = [
    "xiaohongshu",
    "douyin",
    "bilibili",
    "weibo",
    "kuaishou",
    "zhihu",
    "youtube",
    "instagram",
    "tiktok",
    "x",
    "wechat_channels",
    "wechat_mp",
];

/// The name Chinese readers use for a platform (the same names [`platform_name`] reads),
/// where it differs from the canonical one.
pub fn chinese_name(platform: &str) -> Option<&'static str> {
    Some(match platform {
        "xiaohongshu" => "小红书",
        "douyin" => "抖音",
        "bilibili" => "B站",
        "weibo" => "微博",
        "kuaishou" => "快手",
        "zhihu" => "知乎",
        "wechat_channels" => "视频号",
        "wechat_mp" => "公众号",
        _ => return None,
    })
}

/// A platform's canonical name from what a file or user calls it.
pub fn platform_name(raw: &str) -> Option<String> {
    let key = squash(raw);
    if key.is_empty() {
        return None;
    }
    let name = match key.as_str() {
        "xhs" | "xiaohongshu" | "小红书" | "rednote" | "red" => "xiaohongshu",
        "douyin" | "dy" | "抖音" => "douyin",
        "bili" | "bilibili" | "b站" | "哔哩哔哩" | "bzhan" => "bilibili",
        "weibo" | "微博" | "wb" => "weibo",
        "kuaishou" | "ks" | "快手" => "kuaishou",
        "zhihu" | "知乎" => "zhihu",
        "youtube" | "yt" | "油管" => "youtube",
        "instagram" | "ig" | "insta" => "instagram",
        "tiktok" | "tt" => "tiktok",
        "x" | "twitter" | "推特" => "x",
        "wechatchannels" | "视频号" | "微信视频号" | "channels" => "wechat_channels",
        "wechat" | "weixin" | "公众号" | "微信公众号" | "wechatmp" => "wechat_mp",
        _ => return Some(raw.trim().to_lowercase()),
    };
    Some(name.to_string())
}

/// A post format's canonical name: image, short_video, long_video or text; other names are kept
/// (lower-cased) as written.
pub fn canonical_format(raw: &str) -> String {
    let key = squash(raw);
    let name = match key.as_str() {
        "image" | "images" | "photo" | "picture" | "normal" | "图文" | "图集" | "图片" | "笔记" | "carousel"
        | "igimage" | "igcarousel" | "album" => "image",
        "video" | "视频" | "shortvideo" | "short" | "shorts" | "reel" | "reels" | "igreel" | "短视频" | "vlog" => {
            "short_video"
        }
        "longvideo" | "长视频" | "longform" => "long_video",
        "text" | "article" | "文章" | "文字" | "post" | "tweet" => "text",
        _ => return raw.trim().to_lowercase(),
    };
    name.to_string()
}

/// Known export layouts: if every listed header is present, the platform is implied.
/// (layout name, platform, squashed headers that must all be present)
#[rustfmt::skip]
pub const LAYOUTS: &[(&str, &str, &[&str])] = &[
    (
        "MediaCrawler Xiaohongshu notes",
        "xiaohongshu",
        &["noteid", "xsectoken"],
    ),
    (
        "MediaCrawler Xiaohongshu notes",
        "xiaohongshu",
        &["noteid", "collectedcount", "noteurl"],
    ),
    (
        "MediaCrawler Xiaohongshu notes",
        "xiaohongshu",
        &["noteid", "collectedcount", "imagelist"],
    ),
    ("MediaCrawler Douyin videos", "douyin", &["awemeid"]),
    (
        "MediaCrawler Bilibili videos",
        "bilibili",
        &["videoid", "videocoincount"],
    ),
    (
        "MediaCrawler Bilibili creators",
        "bilibili",
        &["totalfans", "userrank"],
    ),
    (
        "MediaCrawler Weibo posts",
        "weibo",
        &["noteid", "sharedcount", "createdatetime"],
    ),
    ("Bilibili search results", "bilibili", &["bvid"]),
    ("Spider_XHS notes", "xiaohongshu", &["笔记id", "笔记url"]),
    ("Spider_XHS users", "xiaohongshu", &["小红书号"]),
    (
        "Xiaohongshu creator centre note list",
        "xiaohongshu",
        &["笔记标题", "首次发布时间"],
    ),
    (
        "Douyin creator centre video list",
        "douyin",
        &["作品名称", "完播率"],
    ),
    (
        "Bilibili creator centre recent videos",
        "bilibili",
        &["视频标题", "投币量"],
    ),
    (
        "WeChat Channels video data",
        "wechat_channels",
        &["视频描述", "视频id", "设为铃声"],
    ),
    ("X analytics", "x", &["tweetid", "impressions"]),
    ("X analytics", "x", &["postid", "impressions", "reposts"]),
    (
        "YouTube Studio table",
        "youtube",
        &["content", "videotitle", "videopublishtime"],
    ),
    (
        "Instagram insights",
        "instagram",
        &["postid", "accountusername"],
    ),
    (
        "TikTok Studio",
        "tiktok",
        &["videotitle", "totallikes", "posttime"],
    ),
    (
        "Global YouTube Statistics",
        "youtube",
        &["youtuber", "subscribers"],
    ),
    (
        "Social Blade YouTube top list",
        "youtube",
        &["channelname", "videouploads"],
    ),
    (
        "Social media influencers (Instagram)",
        "instagram",
        &["instagramname"],
    ),
    (
        "Social media influencers (YouTube)",
        "youtube",
        &["youtubechannel"],
    ),
    (
        "Top Instagram influencers",
        "instagram",
        &["channelinfo", "60dengrate"],
    ),
    (
        "YouTube videos by keyword",
        "youtube",
        &["videoid", "keyword"],
    ),
];

/// Folder names that MediaCrawler uses for each platform (`data/xhs/csv/...`).
pub fn platform_from_path(path: &std::path::Path) -> Option<&'static str> {
    path.components()
        .rev()
        .skip(1)
        .find_map(|c| match c.as_os_str().to_str()? {
            "xhs" => Some("xiaohongshu"),
            "douyin" | "dy" => Some("douyin"),
            "bili" | "bilibili" => Some("bilibili"),
            "weibo" => Some("weibo"),
            "ks" | "kuaishou" => Some("kuaishou"),
            "zhihu" => Some("zhihu"),
            _ => None,
        })
}

#[cfg(test)]
mod tests {

    #[test]
    fn chinese_names_read_back_as_their_platforms() {
        for p in KNOWN_PLATFORMS {
            if let Some(zh) = chinese_name(p) {
                assert_eq!(platform_name(zh).as_deref(), Some(p), "{zh}");
            }
        }
    }

    use super::*;

    #[test]
    fn each_field_is_at_its_index_in_the_list_of_all() {
        for (i, f) in Field::ALL.iter().enumerate() {
            assert_eq!(f.index(), i, "{f:?}");
        }
    }

    #[test]
    fn squash_ignores_case_space_and_punctuation() {
        assert_eq!(squash("\nViews (Avg.)"), "viewsavg");
        assert_eq!(squash("Likes (Avg.)"), "likesavg");
        assert_eq!(squash("liked_count"), "likedcount");
        assert_eq!(squash("Category-2"), "category2");
        assert_eq!(squash(" 粉丝数 "), "粉丝数");
    }

    #[test]
    fn aliases_cover_both_languages() {
        let cases = [
            ("粉丝数", Field::Followers),
            ("Subscribers", Field::Followers),
            ("fans", Field::Followers),
            ("所属领域", Field::Niche),
            ("typename", Field::Niche),
            ("source_keyword", Field::Niche),
            ("Category_1", Field::Niche),
            ("Keyword", Field::Niche),
            ("点赞", Field::Likes),
            ("liked_count", Field::Likes),
            ("评论数量", Field::Comments),
            ("转发", Field::Shares),
            ("分享", Field::Shares),
            ("收藏", Field::Collects),
            ("favorites", Field::Collects),
            ("播放量", Field::Views),
            ("阅读", Field::Views),
            ("观看", Field::Views),
            ("Impressions", Field::Views),
            ("曝光", Field::Views),
            ("商业笔记", Field::Sponsored),
            ("商单", Field::Sponsored),
            ("报价", Field::Price),
            ("Published At", Field::PublishedAt),
            ("首次发布时间", Field::PublishedAt),
            ("Video ID", Field::PostId),
            ("bvid", Field::PostId),
            ("Eng. (Avg.)", Field::AvgEngagement),
            ("\nViews (Avg.)", Field::AvgViews),
        ];
        for (header, field) in cases {
            assert_eq!(field_for(header).map(|(f, _)| f), Some(field), "{header}");
        }
        assert_eq!(field_for("Category_2"), None, "a secondary category is not the niche");
        assert_eq!(field_for("follows"), None, "following counts are not followers");
        assert_eq!(field_for("涨粉"), None, "follower gain is not followers");
    }

    #[test]
    fn every_alias_belongs_to_one_field_only() {
        let mut seen = std::collections::HashMap::new();
        for f in Field::ALL {
            for a in f.aliases() {
                assert_eq!(squash(a), *a, "alias {a} must be written squashed");
                if let Some(other) = seen.insert(*a, f) {
                    panic!("alias {a} is listed for both {other:?} and {f:?}");
                }
            }
        }
    }

    #[test]
    fn platforms_have_one_name() {
        assert_eq!(platform_name("小红书").as_deref(), Some("xiaohongshu"));
        assert_eq!(platform_name("XHS").as_deref(), Some("xiaohongshu"));
        assert_eq!(platform_name("B站").as_deref(), Some("bilibili"));
        assert_eq!(platform_name("YouTube").as_deref(), Some("youtube"));
        assert_eq!(platform_name("Mastodon").as_deref(), Some("mastodon"));
        assert_eq!(platform_name(" "), None);
    }

    #[test]
    fn field_names_round_trip() {
        for f in Field::ALL {
            assert_eq!(Field::from_name(f.name()), Some(f));
        }
        assert_eq!(Field::from_name("Followers"), Some(Field::Followers));
    }
}
