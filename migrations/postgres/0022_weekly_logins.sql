-- The users active in each week (upstream's `activity:logins` tracker): one row per user and
-- week in which they signed in or used a token, for GET /api/v1/instance/activity.
CREATE TABLE weekly_logins (
    week BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (week, user_id)
);
