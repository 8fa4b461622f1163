-- The demo data generator now leaves a setting, and pages show the demo
-- banner only where it is. A database generated before that is told by
-- its subjects' names, which the generator marks “（演示）”.
insert into settings (key, value, note)
select 'demo.generated', '', '库中有生成的演示数据（虚构的主体和决定）：每个页面显示演示数据提示'
where exists (select 1 from subjects where name like '%（演示）');
