//! What an API key may do (its scope), chosen by the administrator who
//! issues it. A key does one thing: a department's system that pushes
//! records has no business reading other departments' records, and the
//! platform that reads them has no business writing any.

/// The scope of an API key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyScope {
    /// A department's system pushes that department's penalties and
    /// licences (`/api/v1/collect/…`); the key is bound to the department.
    Push,
    /// The provincial credit platform reads the change feed
    /// (`/api/v1/feed/changes`); bound to no department, it cannot push.
    Feed,
    /// A department's approval system asks the joint check whether a
    /// subject is listed and which measures apply (`/api/v1/check`), and
    /// reports back; bound to the department, it reads nothing else.
    Check,
}

impl KeyScope {
    pub const ALL: [KeyScope; 3] = [KeyScope::Push, KeyScope::Feed, KeyScope::Check];

    pub fn code(self) -> &'static str {
        match self {
            KeyScope::Push => "push",
            KeyScope::Feed => "feed",
            KeyScope::Check => "check",
        }
    }

    pub fn from_code(code: &str) -> Option<KeyScope> {
        KeyScope::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            KeyScope::Push => "报送",
            KeyScope::Feed => "共享读取",
            KeyScope::Check => "联合奖惩核查",
        }
    }

    /// What a key of this scope is for, as the issuing form explains it.
    pub fn explanation(self) -> &'static str {
        match self {
            KeyScope::Push => "认定单位业务系统报送本单位的行政处罚、行政许可信息；须选择报送单位",
            KeyScope::Feed => "省级信用平台读取记录变动（已按规定脱敏，不含不予共享的信息）；不属于任何单位，不能报送",
            KeyScope::Check => "单位审批系统在办理事项前核查主体是否被列入严重失信主体名单、应实施哪些惩戒措施，并反馈实施情况；须选择使用单位",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in KeyScope::ALL {
            assert_eq!(KeyScope::from_code(s.code()), Some(s));
        }
        assert_eq!(KeyScope::from_code("admin"), None);
        assert_eq!(KeyScope::from_code("check"), Some(KeyScope::Check));
    }
}
