-- Study notices brought in by an admin at run time (导入学习计划): every instance imports them from here.
CREATE TABLE plan_imports (
  id           text PRIMARY KEY,
  body         jsonb NOT NULL,
  imported_at  bigint NOT NULL,
  withdrawn_at bigint
);
